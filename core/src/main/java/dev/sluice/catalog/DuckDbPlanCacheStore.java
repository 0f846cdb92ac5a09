package dev.sluice.catalog;

import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.plan.PlanCache;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** {@link PlanCacheStore} on the DuckDB table {@code sluice.plan_cache}. */
final class DuckDbPlanCacheStore implements PlanCacheStore {
    private final Engine engine;

    DuckDbPlanCacheStore(Engine engine) {
        this.engine = engine;
    }

    @Override
    public List<PlanCache.Entry> read() {
        if (engine.relationKind("sluice", "plan_cache") == Engine.RelationKind.NONE) {
            return List.of();
        }
        List<PlanCache.Entry> entries = new ArrayList<>();
        try (Session session = engine.session()) {
            for (List<Object> row : session.query("SELECT model, sluice_version, text_key, plan_key, payload, "
                    + "payload_hash FROM sluice.plan_cache").values()) {
                entries.add(new PlanCache.Entry((String) row.get(0), (String) row.get(1), (String) row.get(2),
                        (String) row.get(3), (String) row.get(4), (String) row.get(5)));
            }
        }
        return entries;
    }

    @Override
    public void write(List<PlanCache.Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        String now = Sql.literal(LocalDateTime.now(ZoneOffset.UTC).withNano(0).toString().replace('T', ' '));
        try (Session session = engine.session()) {
            session.begin();
            try {
                for (List<PlanCache.Entry> batch : CatalogRows.batches(entries)) {
                    session.execute("INSERT OR REPLACE INTO sluice.plan_cache (model, sluice_version, text_key, "
                            + "plan_key, payload, payload_hash, written_at) VALUES " + String.join(", ",
                            batch.stream().map(entry -> "(" + String.join(", ", Sql.literal(entry.model()),
                                    Sql.literal(entry.sluiceVersion()), Sql.literal(entry.textKey()),
                                    Sql.literal(entry.planKey()), Sql.literal(entry.payload()),
                                    Sql.literal(entry.payloadHash()), "CAST(" + now + " AS TIMESTAMP)") + ")")
                                    .toList()));
                }
                session.commit();
            } catch (RuntimeException e) {
                session.rollback();
                throw e;
            }
        }
    }
}
