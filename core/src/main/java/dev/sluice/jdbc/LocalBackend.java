package dev.sluice.jdbc;

import dev.sluice.Access;
import dev.sluice.ModelResult;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.SluiceException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Statements run in this process through the public API: each query opens the warehouse read-only for as long as its
 * result set is open ({@link Sluice#stream}), and a run takes the warehouse's lock as {@code sluice run} does.
 */
final class LocalBackend implements Backend {
    private final Sluice sluice;
    private final Access access;

    LocalBackend(Sluice sluice, Access access) {
        this.sluice = sluice;
        this.access = access;
    }

    @Override
    public RowSource query(String sql, List<Object> parameters) throws SQLException {
        try {
            return RowSource.of(sluice.stream(sql, parameters.stream().map(Values::plain).toList(), access));
        } catch (SluiceException e) {
            throw Failures.of(e);
        }
    }

    @Override
    public RowSource run(RunRequest request) throws SQLException {
        RunResult result;
        try {
            result = sluice.run(request.options());
        } catch (SluiceException e) {
            throw Failures.of(e);
        }
        List<List<Object>> rows = new ArrayList<>();
        for (ModelResult model : result.models()) {
            rows.add(Arrays.asList(result.runId(), model.model(), model.relation(),
                    model.status().name().toLowerCase(Locale.ROOT), model.rows(), model.duration().toMillis(),
                    model.error()));
        }
        return RowSource.of(RUN_COLUMNS, RUN_TYPES, rows);
    }

    @Override
    public String where() {
        return sluice.project().root().toString();
    }
}
