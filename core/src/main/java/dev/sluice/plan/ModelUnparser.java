package dev.sluice.plan;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

/**
 * A model's SQL printed by Calcite in another database's dialect, for an engine that does not run the DuckDB SQL
 * models are written in. The source slots of the template survive the round trip: each is parsed as a placeholder
 * table name and put back after printing, so a run can still read a slice of a source instead of all of it.
 */
final class ModelUnparser {
    private static final String PLACEHOLDER = "__sluice_source_slot_";

    private ModelUnparser() {
    }

    /** {@code template} (with source slots) printed in the dialect of Calcite's {@code DatabaseProduct} named. */
    static String unparse(PlannedModel planned, String template, Pattern slot, String databaseProduct) {
        SqlDialect dialect = dialect(planned, databaseProduct);
        List<String> slots = new ArrayList<>();
        Matcher matcher = slot.matcher(template);
        StringBuilder text = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(text, Matcher.quoteReplacement("\"" + PLACEHOLDER + slots.size() + "\""));
            slots.add(matcher.group());
        }
        matcher.appendTail(text);
        SqlNode query;
        try {
            query = SqlParser.create(text.toString(), CalciteEnvironment.PARSER).parseQuery();
        } catch (SqlParseException e) {
            throw new SluiceException(ErrorCode.MODEL_INVALID, String.format("Cannot print model %s (%s) in %s: "
                    + "Calcite cannot read its executable SQL (%s); run it on the duckdb engine", planned.name(),
                    planned.model().relativeFile(), databaseProduct, e.getMessage().lines().findFirst().orElse("")));
        }
        String sql = query.toSqlString(dialect).getSql();
        for (int i = 0; i < slots.size(); i++) {
            sql = sql.replace(dialect.quoteIdentifier(PLACEHOLDER + i), slots.get(i));
        }
        return sql;
    }

    private static SqlDialect dialect(PlannedModel planned, String databaseProduct) {
        if (databaseProduct.contains(".")) {
            // an engine's own dialect (Calcite's, with the engine's fixes), named by its class
            try {
                return (SqlDialect) Class.forName(databaseProduct, true, ModelUnparser.class.getClassLoader())
                        .getConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new SluiceException(ErrorCode.MODEL_INVALID, String.format("Cannot print model %s (%s) for its "
                        + "engine: its dialect %s cannot be made (%s); put the engine's jar on the class path",
                        planned.name(), planned.model().relativeFile(), databaseProduct, e));
            }
        }
        try {
            return SqlDialect.DatabaseProduct.valueOf(databaseProduct.toUpperCase(Locale.ROOT)).getDialect();
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorCode.MODEL_INVALID, String.format("Cannot print model %s (%s) for its "
                    + "engine: Calcite has no dialect '%s'; the engine must name one of SqlDialect.DatabaseProduct",
                    planned.name(), planned.model().relativeFile(), databaseProduct));
        }
    }
}
