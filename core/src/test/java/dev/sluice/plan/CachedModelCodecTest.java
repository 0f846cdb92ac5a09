package dev.sluice.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plan cache's payload reads back exactly what was written, and refuses anything that is not one whole payload. */
class CachedModelCodecTest {
    private static CachedModel model() {
        Map<String, String> columnSql = new LinkedHashMap<>();
        columnSql.put("total", "sum(amount)");
        columnSql.put("n", null);
        return new CachedModel("text-key", "plan-key",
                List.of(new CachedModel.CachedReference(List.of("raw", "orders"), 20, 30, 1, 21),
                        new CachedModel.CachedReference(List.of("stg_orders"), -1, -1, 0, 0)),
                "SELECT sum(amount) AS total, count(*) AS n FROM \"raw\".\"orders\" -- café ☕",
                "SELECT sum(amount) AS total, count(*) AS n FROM \u0001raw.orders\u0002 -- café ☕",
                Set.of("stg_orders"), Set.of("raw.orders"),
                List.of(new ColumnType("total", "DECIMAL(38,2)"), new ColumnType("n", "BIGINT")), false,
                Map.of("total", List.of(new ColumnOrigin("raw.orders", "amount", "DIRECT", "AGGREGATION", false),
                        new ColumnOrigin("raw.orders", "discount", "DIRECT", "AGGREGATION", true)),
                        "n", List.of()),
                Map.of("total", "SUM($1)"), columnSql, null, Set.of("window_start"));
    }

    @Test
    void aModelReadsBackEqualToTheOneWritten() {
        CachedModel model = model();

        assertThat(CachedModelCodec.decode(CachedModelCodec.encode(model))).isEqualTo(model);
    }

    @Test
    void repeatedNamesAreWrittenOnce() {
        String payload = CachedModelCodec.encode(model());

        assertThat(new String(Base64.getDecoder().decode(payload), java.nio.charset.StandardCharsets.UTF_8))
                .containsOnlyOnce("AGGREGATION").containsOnlyOnce("DIRECT");
    }

    @Test
    void aTruncatedOrExtendedPayloadIsRefused() {
        byte[] bytes = Base64.getDecoder().decode(CachedModelCodec.encode(model()));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        byte[] extended = java.util.Arrays.copyOf(bytes, bytes.length + 1);

        assertThatThrownBy(() -> CachedModelCodec.decode(Base64.getEncoder().encodeToString(truncated)))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> CachedModelCodec.decode(Base64.getEncoder().encodeToString(extended)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("1 bytes after the cached plan");
        assertThatThrownBy(() -> CachedModelCodec.decode("{\"textKey\": \"json of plan-cache-1\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPayloadClaimingMoreItemsThanItsBytesIsRefused() {
        // a string announced (1) with a length of 100 bytes, and none left
        String payload = Base64.getEncoder().encodeToString(new byte[] {1, 100});

        assertThatThrownBy(() -> CachedModelCodec.decode(payload)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a count of 100 with 0 bytes left");
    }
}
