package dev.sluice.engine.duckdb;

import dev.sluice.engine.Appender;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import org.duckdb.DuckDBAppender;

/** Rows loaded through DuckDB's native appender. */
final class DuckDbAppender implements Appender {
    private final DuckDBAppender appender;

    DuckDbAppender(DuckDBAppender appender) {
        this.appender = appender;
    }

    @Override
    public void append(List<?> row) {
        try {
            appender.beginRow();
            for (Object value : row) {
                put(value);
            }
            appender.endRow();
        } catch (SQLException e) {
            throw DuckDbSession.error(e);
        }
    }

    private void put(Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else if (value instanceof Boolean bool) {
            appender.append(bool);
        } else if (value instanceof Integer number) {
            appender.append(number);
        } else if (value instanceof Long number) {
            appender.append(number);
        } else if (value instanceof Short number) {
            appender.append(number);
        } else if (value instanceof Byte number) {
            appender.append(number);
        } else if (value instanceof Double number) {
            appender.append(number);
        } else if (value instanceof Float number) {
            appender.append(number);
        } else if (value instanceof BigDecimal number) {
            appender.append(number);
        } else if (value instanceof BigInteger number) {
            appender.append(number);
        } else if (value instanceof String text) {
            appender.append(text);
        } else if (value instanceof LocalDateTime time) {
            appender.append(time);
        } else if (value instanceof LocalDate date) {
            appender.append(date);
        } else if (value instanceof UUID uuid) {
            appender.append(uuid);
        } else {
            throw new IllegalArgumentException("Cannot append a " + value.getClass().getSimpleName()
                    + ": the appender takes null, booleans, numbers, text, dates, timestamps and UUIDs");
        }
    }

    /** Values written straight into the native appender's vectors: no Java object per value. */
    @Override
    public Values values() {
        return new Native();
    }

    private final class Native implements Values {
        private boolean inRow;

        private DuckDBAppender row() throws SQLException {
            if (!inRow) {
                appender.beginRow();
                inRow = true;
            }
            return appender;
        }

        @Override
        public void nul() {
            try {
                row().appendNull();
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }

        @Override
        public void bool(boolean value) {
            try {
                row().append(value);
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }

        @Override
        public void int16(short value) {
            try {
                row().append(value);
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }

        @Override
        public void int32(int value) {
            try {
                row().append(value);
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }

        @Override
        public void int64(long value) {
            try {
                row().append(value);
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }

        @Override
        public void float32(float value) {
            try {
                row().append(value);
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }

        @Override
        public void float64(double value) {
            try {
                row().append(value);
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }

        @Override
        public void decimal(long unscaled, int precision, int scale) {
            try {
                // DuckDB stores a decimal in the narrowest integer its precision allows.
                if (precision <= 4) {
                    row().appendDecimal((short) unscaled);
                } else if (precision <= 9) {
                    row().appendDecimal((int) unscaled);
                } else {
                    row().appendDecimal(unscaled);
                }
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }

        @Override
        public void decimal(BigDecimal value) {
            try {
                row().append(value);
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }

        @Override
        public void text(byte[] utf8) {
            try {
                row().append(utf8);
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }

        @Override
        public void date(int epochDays) {
            try {
                row().appendEpochDays(epochDays);
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }

        @Override
        public void timestamp(long epochMicros) {
            try {
                row().appendEpochMicros(epochMicros);
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }

        @Override
        public void uuid(long mostSignificant, long leastSignificant) {
            try {
                row().appendUUID(mostSignificant, leastSignificant);
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }

        @Override
        public void endRow() {
            try {
                row().endRow();
                inRow = false;
            } catch (SQLException e) {
                throw DuckDbSession.error(e);
            }
        }
    }

    @Override
    public void close() {
        try {
            appender.close();
        } catch (SQLException e) {
            throw DuckDbSession.error(e);
        }
    }
}
