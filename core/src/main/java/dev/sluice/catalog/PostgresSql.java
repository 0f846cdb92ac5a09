package dev.sluice.catalog;

import dev.sluice.engine.Sql;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog's statements (migrations and the stores' SQL, written for DuckDB) as PostgreSQL runs them, rewritten
 * when they are run: the migration files stay as they are (their checksum is over the file's text) and one set of
 * stores serves both catalog kinds. Each rewrite is of a form only Sluice's own statements take (tested one by one),
 * never of user text: parameters are bound, not rewritten.
 */
final class PostgresSql {
    private static final Pattern SCHEMA = Pattern.compile("\\bsluice\\.(?=[A-Za-z_\"]|$)");
    private static final Pattern CREATE_SCHEMA = Pattern.compile("(?i)\\bSCHEMA\\s+(IF\\s+NOT\\s+EXISTS\\s+)?sluice\\b");
    private static final Pattern UNTYPED_NULL_TEST = Pattern.compile("(?i)\\?\\s+IS\\s+NULL\\b");
    private static final Pattern DOUBLE = Pattern.compile("(?i)\\bDOUBLE\\b(?!\\s+PRECISION)");
    private static final Pattern CONTAINS = Pattern.compile("(?i)\\bcontains\\(([^,()]+),\\s*('(?:[^']|'')*')\\)");
    private static final Pattern UPSERT = Pattern.compile(
            "(?is)^\\s*INSERT\\s+OR\\s+(REPLACE|IGNORE)\\s+INTO\\s+(\\S+)(.*)$");
    private static final Pattern TABLE = Pattern.compile("\"?([^\".]+)\"?\\.(\\w+)");

    private PostgresSql() {
    }

    /**
     * The statement for PostgreSQL, the catalog in {@code schema}: {@code sluice.} names the schema, {@code DOUBLE}
     * is {@code DOUBLE PRECISION}, DuckDB's {@code contains(text, 'part')} is {@code strpos}, and {@code INSERT OR
     * REPLACE / OR IGNORE} is an {@code INSERT ... ON CONFLICT} on the table's primary key, whose columns
     * {@code table} gives (key columns first, then the others; by the table's name).
     */
    static String translate(String sql, String schema, Function<String, TableKey> table) {
        String nextval = sql.replace("nextval('sluice.", "nextval('" + quoted(schema) + ".");
        StringBuilder translated = new StringBuilder(nextval.length() + 32);
        int at = 0;
        while (at < nextval.length()) {
            int quote = nextQuote(nextval, at);
            translated.append(unquoted(nextval.substring(at, quote), schema));
            if (quote < nextval.length()) {
                int end = Sql.quotedEnd(nextval, quote);
                translated.append(nextval, quote, end);
                at = end;
            } else {
                at = quote;
            }
        }
        return upsert(translated.toString(), table);
    }

    /**
     * A migration for PostgreSQL: {@link #translate} and DuckDB's {@code contains(text, 'part')} as {@code strpos}
     * (a migration is Sluice's own text; a store's statement may carry a model's SQL as a literal, left as it is).
     */
    static String migration(String sql, String schema) {
        return translate(CONTAINS.matcher(sql).replaceAll("(strpos($1, $2) > 0)"), schema, name -> {
            throw new IllegalStateException("a migration upserts nothing: " + name);
        });
    }

    private static int nextQuote(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                return i;
            }
            if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
                // a comment runs to the end of its line, and a quote in it opens nothing
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
            }
        }
        return text.length();
    }

    private static String unquoted(String text, String schema) {
        String translated = CREATE_SCHEMA.matcher(text).replaceAll("SCHEMA $1" + Matcher.quoteReplacement(quoted(schema)));
        translated = SCHEMA.matcher(translated).replaceAll(Matcher.quoteReplacement(quoted(schema) + "."));
        translated = DOUBLE.matcher(translated).replaceAll("DOUBLE PRECISION");
        // PostgreSQL types each parameter from where it stands: one only tested for NULL has no type of its own
        return UNTYPED_NULL_TEST.matcher(translated).replaceAll("CAST(? AS TEXT) IS NULL");
    }

    private static String upsert(String translated, Function<String, TableKey> table) {
        Matcher upsert = UPSERT.matcher(translated);
        if (!upsert.matches()) {
            return translated;
        }
        String target = upsert.group(2);
        String insert = "INSERT INTO " + target + upsert.group(3);
        if (upsert.group(1).equalsIgnoreCase("IGNORE")) {
            return insert + " ON CONFLICT DO NOTHING";
        }
        Matcher name = TABLE.matcher(target);
        TableKey key = table.apply(name.matches() ? name.group(2).toLowerCase(Locale.ROOT) : target);
        String update = String.join(", ", key.others().stream().map(column -> quoted(column) + " = EXCLUDED."
                + quoted(column)).toList());
        return insert + " ON CONFLICT (" + String.join(", ", key.key().stream().map(PostgresSql::quoted)
                .toList()) + ") DO " + (update.isEmpty() ? "NOTHING" : "UPDATE SET " + update);
    }

    static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A table's primary key columns and its other columns, for an upsert. */
    record TableKey(List<String> key, List<String> others) {
        TableKey {
            key = List.copyOf(key);
            others = List.copyOf(others);
        }
    }
}
