package dev.sluice.plan;

import dev.sluice.plan.NameResolver.Target;
import dev.sluice.project.Location;
import dev.sluice.project.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParserPos;

/** A model on its way through planning: its text, the tables it names and its Calcite parse, or why it has none. */
final class ParsedModel {
    private static final Pattern CALCITE_POSITION = Pattern.compile(" at line \\d+, column \\d+");

    /** DuckDB syntax that Calcite cannot parse, found in the SQL text (comments and literals masked). */
    private static final List<Construct> DUCKDB_CONSTRUCTS = List.of(
            new Construct("GROUP BY ALL", Pattern.compile("(?i)\\bGROUP\\s+BY\\s+ALL\\b")),
            new Construct("DISTINCT ON", Pattern.compile("(?i)\\bDISTINCT\\s+ON\\s*\\(")),
            new Construct("ASOF JOIN", Pattern.compile("(?i)\\bASOF\\s+(?:\\w+\\s+)?JOIN\\b")),
            new Construct("USING SAMPLE", Pattern.compile("(?i)\\bUSING\\s+SAMPLE\\b")),
            new Construct("COLUMNS(...) expression", Pattern.compile("(?i)\\bCOLUMNS\\s*\\(")),
            new Construct("lambda", Pattern.compile("(?i)\\blambda\\b|\\w\\s*->\\s*[^>]")),
            new Construct("file read in FROM", Pattern.compile("(?i)\\bread_\\w+\\s*\\(|\\bFROM\\s+'")),
            new Construct("list literal [...]", Pattern.compile("\\[")),
            new Construct("struct literal {...}", Pattern.compile("\\{")),
            new Construct("FROM-first syntax", Pattern.compile("(?i)\\AFROM\\b")),
            // Babel reads date_diff as BigQuery's DATE_DIFF(a, b, unit), so DuckDB's date_diff('day', a, <expression>)
            // fails on the expression
            new Construct("date_diff('part', start, end) over an expression",
                    Pattern.compile("(?i)\\bdate_?diff\\s*\\(")),
            new Construct("trailing comma", Pattern.compile("(?i),\\s*(?:FROM|\\))")));

    private record Construct(String name, Pattern pattern) {
    }

    /** A table name in a model: its parts as written, where it is, and what it names. */
    record Reference(List<String> parts, SqlIdentifier identifier, int start, int end, Location location,
            Target target) {
    }

    final Model model;
    final SqlText text;
    final List<Reference> references = new ArrayList<>();
    SqlNode query;
    String parseProblem;
    boolean broken;
    /** Why DuckDB must bind the model beside Calcite; null when Calcite's reading stands for DuckDB's. */
    CrossCheck.Construct crossCheck;

    ParsedModel(Model model) {
        this.model = model;
        this.text = new SqlText(model.sql());
    }

    boolean opaque() {
        return switch (model.parser()) {
            case CALCITE -> false;
            case DUCKDB -> true;
        };
    }

    static Location location(ParsedModel model, int line, int column) {
        return new Location(model.model.relativeFile(), line, column);
    }

    /** Parses one model; thread-safe, as it only touches that model. */
    static void parseWithCalcite(ParsedModel model) {
        SqlNodeList statements;
        boolean babel;
        try {
            CalciteEnvironment.Parsed parsed = CalciteEnvironment.parseStatements(model.model.sql());
            statements = parsed.statements();
            babel = parsed.babel();
        } catch (SqlParseException e) {
            model.parseProblem = parseProblem(model, e);
            return;
        }
        if (statements.isEmpty()) {
            model.parseProblem = "Cannot parse " + model.model.relativeFile() + ": the model holds no SQL statement;"
                    + " write one query (SELECT or WITH)";
            return;
        }
        if (statements.size() > 1) {
            SqlParserPos second = statements.get(1).getParserPosition();
            model.parseProblem = "Cannot parse " + location(model, second.getLineNum(), second.getColumnNum())
                    + ": a model holds exactly one statement, found " + statements.size()
                    + "; move the others into models of their own";
            return;
        }
        SqlNode query = statements.get(0);
        if (!query.getKind().belongsTo(SqlKind.QUERY)) {
            SqlParserPos position = query.getParserPosition();
            model.parseProblem = "Cannot parse " + location(model, position.getLineNum(), position.getColumnNum())
                    + ": a model is one query, found a " + query.getKind() + " statement; write a SELECT or WITH"
                    + " query and let Sluice materialize it";
            return;
        }
        // Calcite reads DuckDB's integer division `a // 2` as a comment to the end of the line and so validates a
        // different query (one that often fails for unrelated reasons): refuse it where it is
        int division = model.text.masked().indexOf("//", model.text.firstTokenOffset());
        if (division >= 0) {
            model.parseProblem = "Cannot parse " + location(model, model.text.line(division),
                    model.text.column(division)) + ": Calcite reads DuckDB's integer division `//` as the start of a"
                    + " comment; write divide(a, b) instead, or declare `parser: duckdb` in the model's front matter";
            return;
        }
        // before validation, which rewrites the tree
        model.crossCheck = CrossCheck.find(query, babel);
        model.query = query;
        for (SqlIdentifier identifier : TableReferences.of(query)) {
            SqlParserPos position = identifier.getParserPosition();
            int start = model.text.offset(position.getLineNum(), position.getColumnNum());
            int end = model.text.offset(position.getEndLineNum(), position.getEndColumnNum()) + 1;
            model.references.add(new Reference(identifier.names, identifier, start, end,
                    location(model, position.getLineNum(), position.getColumnNum()), null));
        }
    }

    private static String parseProblem(ParsedModel model, SqlParseException e) {
        String calcite = e.getMessage().lines().findFirst().orElse("syntax error");
        calcite = CALCITE_POSITION.matcher(calcite).replaceAll("");
        if (calcite.endsWith(".")) {
            calcite = calcite.substring(0, calcite.length() - 1);
        }
        String masked = model.text.masked();
        int statementStart = model.text.firstTokenOffset();
        for (Construct construct : DUCKDB_CONSTRUCTS) {
            Matcher matcher = construct.pattern().matcher(masked).region(statementStart, masked.length());
            if (matcher.find()) {
                int offset = matcher.start();
                return "Cannot parse " + location(model, model.text.line(offset), model.text.column(offset))
                        + ": Calcite cannot read DuckDB's " + construct.name() + " (" + calcite + ")"
                        + "; declare `parser: duckdb` in the model's front matter, or rewrite it in standard SQL";
            }
        }
        SqlParserPos position = e.getPos();
        Location location = position == null ? location(model, 0, 0)
                : location(model, position.getLineNum(), position.getColumnNum());
        return "Cannot parse " + location + ": " + calcite + "; fix the syntax, or declare `parser: duckdb` in the"
                + " model's front matter if this is DuckDB syntax that Calcite cannot read";
    }

    /** Takes the tables the model names from the plan cache (its text is the one they were found in). */
    static void addCachedReferences(ParsedModel model, List<CachedModel.CachedReference> references) {
        for (CachedModel.CachedReference reference : references) {
            model.references.add(new Reference(reference.parts(), null, reference.start(), reference.end(),
                    location(model, reference.line(), reference.column()), null));
        }
    }

    /** Records where the tables DuckDB found in the model are written in its text (or that they are not). */
    static void addDuckDbReferences(ParsedModel model, Set<String> names) {
        List<SqlText.NameSpan> spans = model.text.tableNames();
        for (String name : names) {
            List<String> parts = List.of(name.split("\\."));
            boolean found = false;
            for (SqlText.NameSpan span : spans) {
                if (sameParts(span.parts(), parts)) {
                    found = true;
                    model.references.add(new Reference(parts, null, span.start(), span.end(),
                            location(model, model.text.line(span.start()), model.text.column(span.start())), null));
                }
            }
            if (!found) {
                model.references.add(new Reference(parts, null, -1, -1, location(model, 0, 0), null));
            }
        }
    }

    private static boolean sameParts(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equalsIgnoreCase(b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
