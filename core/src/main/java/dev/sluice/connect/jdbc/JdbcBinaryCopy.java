package dev.sluice.connect.jdbc;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Appender;
import dev.sluice.engine.Session;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PostgreSQL's reads: {@code COPY (SELECT ...) TO STDOUT (FORMAT binary)}, one per partition, each received on a
 * thread and connection of its own ({@link JdbcCopyReaders}) and decoded on the load's thread straight into the
 * engine's bulk loader ({@link Appender.Values}: no Java object per value but a text's bytes), into the stage table.
 * Measured (bench/run ingest-profile, CPU seconds), the server spends a third less on binary COPY than on CSV (no
 * number or timestamp printed), and the warehouse parses no CSV; measured against the CSV copies this replaced
 * (named pipes for one stream, files for partitions, read by the warehouse's parallel CSV reader), it was faster
 * both ways (bench/README.md, connjdbc).
 *
 * <p>Every column is cast in the SELECT to the type decoded here ({@link #wire}); text types travel as they are
 * (their binary form is their UTF-8 text).
 */
final class JdbcBinaryCopy {
    /** Days and microseconds from PostgreSQL's epoch (2000-01-01) to the warehouse's (1970-01-01). */
    private static final int EPOCH_DAYS = 10_957;
    private static final long EPOCH_MICROS = EPOCH_DAYS * 86_400_000_000L;

    private final JdbcReader reader;
    private final JdbcDatabase database;
    private final JdbcSpec spec;

    JdbcBinaryCopy(JdbcReader reader, JdbcDatabase database, JdbcSpec spec) {
        this.reader = reader;
        this.database = database;
        this.spec = spec;
    }

    /** The PostgreSQL type each column is cast to for the binary COPY; null for text, sent as it is. */
    static String wire(JdbcColumn.Read read) {
        return switch (read) {
            case BOOLEAN -> "boolean";
            case SHORT -> "int2";
            case INT -> "int4";
            case LONG -> "int8";
            case FLOAT -> "float4";
            case DOUBLE -> "float8";
            case DECIMAL, DECIMAL_CHECKED -> "numeric";
            case TEXT -> null;
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case UUID -> "uuid";
        };
    }

    /** The COPY statement of a read: its SELECT with every column cast to its wire type. */
    static String statement(JdbcQuery read, List<JdbcColumn> columns, boolean sourceHash) {
        List<JdbcColumn> cast = new ArrayList<>();
        for (JdbcColumn column : columns) {
            String type = wire(column.read());
            cast.add(type == null ? column : new JdbcColumn(column.name(), "CAST(" + column.select() + " AS " + type
                    + ")", column.read(), column.stageType(), column.finish(), column.type()));
        }
        return "COPY (" + read.copy(cast, sourceHash) + ") TO STDOUT (FORMAT binary)";
    }

    /**
     * Copies the reads' rows into the stage table (created by the caller with the columns' stage types) and returns
     * the rows staged: each read's COPY is received on a thread and connection of its own ({@link JdbcCopyReaders}),
     * its rows decoded and appended on this thread. The fault point {@link JdbcReader#afterFirstChunk} runs once ten
     * fetch sizes of rows are staged, while the server goes on sending.
     */
    long copy(Session session, List<JdbcQuery> reads, List<JdbcColumn> columns, boolean sourceHash, String name) {
        List<String> statements = reads.stream().map(read -> statement(read, columns, sourceHash)).toList();
        Column[] decoders = new Column[columns.size() + (sourceHash ? 1 : 0)];
        for (int i = 0; i < columns.size(); i++) {
            decoders[i] = new Column(columns.get(i));
        }
        if (sourceHash) {
            decoders[columns.size()] = new Column(JdbcColumn.direct(JdbcQuery.SOURCE_HASH, "", JdbcColumn.Read.TEXT,
                    "VARCHAR"));
        }
        long chunk = 10L * spec.fetchSize();
        long rows = 0;
        List<java.sql.Connection> connections = database.connect(statements.size());
        // In one transaction: the native appender flushes every 2,048 rows, and each flush outside a transaction is
        // a commit of its own (measured: most of the read's time went to those commits).
        session.begin();
        try (JdbcCopyReaders copies = new JdbcCopyReaders(statements, connections, name);
                Appender appender = session.appender("main", JdbcReader.STAGE)) {
            Appender.Values values = appender.values();
            byte[][] batch;
            while ((batch = copies.next()) != null) {
                for (byte[] message : batch) {
                    if (row(message, 0, decoders, values) != message.length) {
                        throw new IllegalStateException("a COPY row of " + message.length + " bytes ended early");
                    }
                }
                long before = rows;
                rows += batch.length;
                if (before < chunk && rows >= chunk) {
                    JdbcReader.afterFirstChunk.run();
                }
            }
        } catch (Throwable e) {
            session.rollback();
            if (e instanceof Error error) {
                throw error;
            }
            throw reader.readFailure(e, rows);
        }
        session.commit();
        return rows;
    }

    /** Decodes one row at {@code at} into the values; returns where it ends. */
    private static int row(byte[] message, int at, Column[] columns, Appender.Values values) {
        int count = short16(message, at);
        if (count != columns.length) {
            throw new IllegalStateException("a COPY row has " + count + " fields, not " + columns.length);
        }
        at += 2;
        for (Column column : columns) {
            int length = int32(message, at);
            at += 4;
            if (length < 0) {
                values.nul();
            } else {
                column.decode(message, at, length, values);
                at += length;
            }
        }
        values.endRow();
        return at;
    }

    static short short16(byte[] bytes, int at) {
        return (short) ((bytes[at] & 0xff) << 8 | bytes[at + 1] & 0xff);
    }

    static int int32(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8
                | bytes[at + 3] & 0xff;
    }

    static long int64(byte[] bytes, int at) {
        return (long) int32(bytes, at) << 32 | int32(bytes, at + 4) & 0xffffffffL;
    }

    /** One column's decoder: its binary form to the engine's value of its stage type. */
    static final class Column {
        private final JdbcColumn column;
        private final int precision;
        private final int scale;

        Column(JdbcColumn column) {
            this.column = column;
            boolean decimal = column.read() == JdbcColumn.Read.DECIMAL;
            this.precision = decimal ? JdbcTypes.precision(column.stageType()) : 0;
            this.scale = decimal ? JdbcTypes.scale(column.stageType()) : 0;
        }

        void decode(byte[] bytes, int at, int length, Appender.Values values) {
            switch (column.read()) {
                case BOOLEAN -> values.bool(bytes[at] != 0);
                case SHORT -> values.int16(short16(bytes, at));
                case INT -> values.int32(int32(bytes, at));
                case LONG -> values.int64(int64(bytes, at));
                case FLOAT -> values.float32(Float.intBitsToFloat(int32(bytes, at)));
                case DOUBLE -> values.float64(Double.longBitsToDouble(int64(bytes, at)));
                case DECIMAL -> decimal(bytes, at, values);
                case DECIMAL_CHECKED -> values.decimal(JdbcTypes.decimal(numeric(bytes, at), column));
                case TEXT -> values.text(Arrays.copyOfRange(bytes, at, at + length));
                case DATE -> values.date(date(int32(bytes, at)));
                case TIMESTAMP -> values.timestamp(timestamp(int64(bytes, at)));
                case UUID -> values.uuid(int64(bytes, at), int64(bytes, at + 8));
            }
        }

        /**
         * A decimal of the source's own precision and scale (so its value fits the column): the unscaled long for
         * precisions to 18, summed from the base-10000 digits, else a BigDecimal.
         */
        private void decimal(byte[] bytes, int at, Appender.Values values) {
            if (precision > 18) {
                values.decimal(numeric(bytes, at).setScale(scale, java.math.RoundingMode.UNNECESSARY));
                return;
            }
            int digits = short16(bytes, at);
            int weight = short16(bytes, at + 2);
            int sign = short16(bytes, at + 4) & 0xffff;
            special(sign);
            long unscaled = 0;
            for (int i = 0; i < digits; i++) {
                int digit = short16(bytes, at + 8 + 2 * i);
                // The digit stands for digit * 10000^(weight - i); at the column's scale, times 10^exponent.
                int exponent = 4 * (weight - i) + scale;
                if (exponent >= 0) {
                    unscaled += digit * POWERS[exponent];
                } else {
                    // Digits past the scale are zeros: the value has the column's scale.
                    unscaled += -exponent > 18 ? 0 : digit / POWERS[-exponent];
                }
            }
            values.decimal(sign == 0x4000 ? -unscaled : unscaled, precision, scale);
        }

        private void special(int sign) {
            if (sign == 0xC000 || sign == 0xD000 || sign == 0xF000) {
                throw new SluiceException(ErrorCode.SOURCE_INVALID, "column %s holds %s, which %s cannot hold; read "
                        + "it with query: and a CASE that makes it NULL, or a double precision cast",
                        column.name(), sign == 0xC000 ? "NaN" : sign == 0xD000 ? "Infinity" : "-Infinity",
                        column.type());
            }
        }

        /** Any numeric as a BigDecimal with its own scale. */
        BigDecimal numeric(byte[] bytes, int at) {
            int digits = short16(bytes, at);
            int weight = short16(bytes, at + 2);
            int sign = short16(bytes, at + 4) & 0xffff;
            int dscale = short16(bytes, at + 6);
            special(sign);
            BigInteger whole = BigInteger.ZERO;
            BigInteger base = BigInteger.valueOf(10_000);
            for (int i = 0; i < digits; i++) {
                whole = whole.multiply(base).add(BigInteger.valueOf(short16(bytes, at + 8 + 2 * i)));
            }
            // The last digit stands for 10000^(weight - digits + 1).
            BigDecimal value = new BigDecimal(whole, -4 * (weight - digits + 1));
            value = value.setScale(Math.max(dscale, 0), java.math.RoundingMode.UNNECESSARY);
            return sign == 0x4000 ? value.negate() : value;
        }

        /** PostgreSQL's days since 2000 (its infinities at the int range's ends) as the warehouse's since 1970. */
        private static int date(int days) {
            if (days == Integer.MAX_VALUE) {
                return Integer.MAX_VALUE;
            }
            if (days == Integer.MIN_VALUE) {
                return -Integer.MAX_VALUE;
            }
            return days + EPOCH_DAYS;
        }

        /**
         * PostgreSQL's microseconds since 2000 as the warehouse's since 1970; its infinities as the warehouse's. A
         * timestamp past the warehouse's range (it ends in the year 294247; PostgreSQL's in 294276) fails the read.
         */
        private long timestamp(long micros) {
            if (micros == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            if (micros == Long.MIN_VALUE) {
                return -Long.MAX_VALUE;
            }
            if (micros > Long.MAX_VALUE - 1 - EPOCH_MICROS) {
                LocalDateTime time = LocalDateTime.of(2000, 1, 1, 0, 0).plusSeconds(micros / 1_000_000)
                        .plusNanos(micros % 1_000_000 * 1000);
                throw new SluiceException(ErrorCode.SOURCE_INVALID, "column %s holds %s, past the end of the "
                        + "warehouse's TIMESTAMP range (the year 294247); read it with query: and a CASE that caps "
                        + "or nulls it", column.name(), time);
            }
            return micros + EPOCH_MICROS;
        }
    }

    private static final long[] POWERS = new long[19];

    static {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++) {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }
}
