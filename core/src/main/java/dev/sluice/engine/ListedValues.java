package dev.sluice.engine;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** {@link Appender.Values} of an engine without a primitive path: each row as a list of Java values. */
final class ListedValues implements Appender.Values {
    private final Appender appender;
    private List<Object> row = new ArrayList<>();

    ListedValues(Appender appender) {
        this.appender = appender;
    }

    @Override
    public void nul() {
        row.add(null);
    }

    @Override
    public void bool(boolean value) {
        row.add(value);
    }

    @Override
    public void int16(short value) {
        row.add(value);
    }

    @Override
    public void int32(int value) {
        row.add(value);
    }

    @Override
    public void int64(long value) {
        row.add(value);
    }

    @Override
    public void float32(float value) {
        row.add(value);
    }

    @Override
    public void float64(double value) {
        row.add(value);
    }

    @Override
    public void decimal(long unscaled, int precision, int scale) {
        row.add(BigDecimal.valueOf(unscaled, scale));
    }

    @Override
    public void decimal(BigDecimal value) {
        row.add(value);
    }

    @Override
    public void text(byte[] utf8) {
        row.add(new String(utf8, StandardCharsets.UTF_8));
    }

    @Override
    public void date(int epochDays) {
        row.add(LocalDate.ofEpochDay(epochDays));
    }

    @Override
    public void timestamp(long epochMicros) {
        row.add(LocalDateTime.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                (int) Math.floorMod(epochMicros, 1_000_000L) * 1000, ZoneOffset.UTC));
    }

    @Override
    public void uuid(long mostSignificant, long leastSignificant) {
        row.add(new UUID(mostSignificant, leastSignificant));
    }

    @Override
    public void endRow() {
        appender.append(row);
        row = new ArrayList<>(row.size());
    }
}
