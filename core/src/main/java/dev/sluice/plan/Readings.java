package dev.sluice.plan;

import dev.sluice.project.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * How planning compares Calcite's and DuckDB's readings of a model, and words what either rejects: DuckDB checks
 * every model, Calcite every model it can parse, and a disagreement is named where it is.
 */
final class Readings {
    private static final Pattern DUCKDB_LINE = Pattern.compile("LINE (\\d+):");
    private static final Pattern GENERATED_NAME = Pattern.compile("EXPR\\$\\d+");

    private Readings() {
    }

    /** Why Calcite rejects a model, and whether DuckDB accepts it (then the two read it differently). */
    static String calciteProblem(SchemaOracle oracle, ParsedModel model, Location location, String reason,
            String executableSql) {
        String duckDbColumns;
        try {
            duckDbColumns = oracle.defineModel(model.model.schema(), model.model.name(), executableSql).stream()
                    .map(ColumnType::name).collect(Collectors.joining(", "));
        } catch (IllegalArgumentException e) {
            return "Cannot validate " + location + ": " + reason + "; fix the query";
        }
        return "Cannot validate " + location + ": Calcite and DuckDB read the model differently: Calcite says "
                + reason + ", DuckDB accepts it with the columns (" + duckDbColumns + "); this is usually DuckDB"
                + " syntax that Calcite misreads, such as ORDER BY ALL or `a // 2`: rewrite it in standard SQL, or"
                + " declare `parser: duckdb` in the model's front matter";
    }

    /** DuckDB's positions are relative to the oracle's own statement, so only the file is named. */
    static String duckDbProblem(ParsedModel model, IllegalArgumentException e) {
        return "Cannot validate " + model.model.relativeFile() + ": DuckDB rejects the model: " + duckDbMessage(e)
                + "; fix the query";
    }

    /** DuckDB's message without the echo of the SQL it adds after {@code LINE n:}. */
    static String duckDbMessage(Exception e) {
        String message = String.valueOf(e.getMessage());
        Matcher matcher = DUCKDB_LINE.matcher(message);
        if (matcher.find()) {
            message = message.substring(0, matcher.start());
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Positions of the query's select items, or none when it selects {@code *} (whose columns are not written). */
    static List<SqlParserPos> selectItemPositions(SqlNode query) {
        SqlNode node = query;
        while (node instanceof SqlOrderBy || node instanceof SqlWith) {
            node = node instanceof SqlOrderBy orderBy ? orderBy.query : ((SqlWith) node).body;
        }
        if (!(node instanceof SqlSelect select)) {
            return List.of();
        }
        List<SqlParserPos> positions = new ArrayList<>();
        for (SqlNode item : select.getSelectList()) {
            if (item instanceof SqlIdentifier identifier && identifier.isStar()) {
                return List.of();
            }
            positions.add(item.getParserPosition());
        }
        return positions;
    }

    /** The first column where Calcite and DuckDB disagree, -1 when they agree; names Calcite made up are not compared. */
    static int firstDifference(List<String> calcite, List<ColumnType> duckDb) {
        int common = Math.min(calcite.size(), duckDb.size());
        for (int i = 0; i < common; i++) {
            String mine = calcite.get(i).toLowerCase(Locale.ROOT);
            String theirs = duckDb.get(i).name().toLowerCase(Locale.ROOT);
            boolean same = mine.equals(theirs)
                    || GENERATED_NAME.matcher(calcite.get(i)).matches()
                    || (mine.startsWith(theirs) && mine.substring(theirs.length()).matches("\\d+"))
                    || (theirs.startsWith(mine) && theirs.substring(mine.length()).matches("_\\d+"));
            if (!same) {
                return i;
            }
        }
        return calcite.size() == duckDb.size() ? -1 : common;
    }
}
