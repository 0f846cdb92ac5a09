package dev.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.Test;

/** The driver's pure parts: types, value conversions, literals, run statements, URLs and in-memory result sets. */
class DriverValuesTest {
    @Test
    void engineTypesMapToJdbcTypes() {
        assertThat(SqlType.of("DECIMAL(18,3)")).extracting(SqlType::code, SqlType::precision, SqlType::scale)
                .containsExactly(Types.DECIMAL, 18, 3);
        assertThat(SqlType.of("INTEGER[]").code()).isEqualTo(Types.ARRAY);
        assertThat(SqlType.of("HUGEINT").javaClass()).isEqualTo(BigInteger.class);
        assertThat(SqlType.of("TIMESTAMP WITH TIME ZONE").code()).isEqualTo(Types.TIMESTAMP_WITH_TIMEZONE);
        assertThat(SqlType.of("STRUCT(a INTEGER)").code()).isEqualTo(Types.OTHER);
        assertThat(SqlType.of(null).code()).isEqualTo(Types.VARCHAR);
        assertThat(SqlType.of("UBIGINT").signed()).isFalse();
        assertThat(SqlType.of("BIGINT").signed()).isTrue();
        assertThat(SqlType.of("VARCHAR").signed()).isFalse();
        assertThat(SqlType.of("DECIMAL(10,2)").displaySize()).isEqualTo(12);
        assertThat(SqlType.of("BOOLEAN").displaySize()).isEqualTo(5);
        assertThat(SqlType.of("DOUBLE").displaySize()).isEqualTo(24);
        assertThat(SqlType.of("DATE").displaySize()).isEqualTo(11);
        assertThat(SqlType.of("VARCHAR").displaySize()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void valuesConvertAsTheGettersPromise() throws SQLException {
        assertThat(Values.jdbc(LocalTime.of(1, 2))).isEqualTo(java.sql.Time.valueOf("01:02:00"));
        assertThat(Values.plain(java.sql.Time.valueOf("01:02:00"))).isEqualTo(LocalTime.of(1, 2));
        assertThat(Values.plain(java.sql.Timestamp.valueOf("2024-01-01 10:00:00")))
                .isEqualTo(LocalDateTime.of(2024, 1, 1, 10, 0));
        assertThat(Values.number("12.5", "getDouble")).isEqualTo(new BigDecimal("12.5"));
        assertThat(Values.number(true, "getInt")).isEqualTo(1);
        assertThat(catchThrowableOfType(SQLException.class, () -> Values.number("x", "getInt")).getMessage())
                .isEqualTo("Cannot read 'x' with getInt: it is not a number; use getString");
        assertThat(Values.decimal(3L)).isEqualByComparingTo("3");
        assertThat(Values.decimal(1.5d)).isEqualByComparingTo("1.5");
        assertThat(Values.decimal(BigInteger.TEN)).isEqualByComparingTo("10");
        assertThat(Values.bool("TRUE")).isTrue();
        assertThat(Values.bool(0)).isFalse();
        assertThat(Values.bool("0")).isFalse();
        assertThat(Values.bool(null)).isFalse();
        assertThat(catchThrowableOfType(SQLException.class, () -> Values.bool("maybe")).getMessage())
                .contains("it is not a boolean");
        assertThat(Values.date("2024-02-03")).isEqualTo(java.sql.Date.valueOf("2024-02-03"));
        assertThat(Values.date(LocalDateTime.of(2024, 2, 3, 4, 5))).isEqualTo(java.sql.Date.valueOf("2024-02-03"));
        assertThat(catchThrowableOfType(SQLException.class, () -> Values.date("soon")).getMessage())
                .contains("it is not a date");
        assertThat(Values.timestamp(LocalDate.of(2024, 2, 3))).isEqualTo(java.sql.Timestamp.valueOf(
                "2024-02-03 00:00:00"));
        assertThat(Values.timestamp("2024-02-03 04:05:06")).isEqualTo(java.sql.Timestamp.valueOf(
                "2024-02-03 04:05:06"));
        assertThat(Values.timestamp(java.time.Instant.EPOCH).getTime()).isZero();
        assertThat(Values.timestamp(java.time.OffsetDateTime.parse("1970-01-01T00:00:00Z")).getTime()).isZero();
        assertThat(catchThrowableOfType(SQLException.class, () -> Values.timestamp(5)).getMessage())
                .contains("it is not a timestamp");
        assertThat(Values.time(LocalDateTime.of(2024, 2, 3, 4, 5))).isEqualTo(java.sql.Time.valueOf("04:05:00"));
        assertThat(catchThrowableOfType(SQLException.class, () -> Values.time("x")).getMessage())
                .contains("it is not a time");
        assertThat(Values.as(5, Long.class)).isEqualTo(5L);
        assertThat(Values.as(5L, Integer.class)).isEqualTo(5);
        assertThat(Values.as(5, Double.class)).isEqualTo(5.0);
        assertThat(Values.as(5, String.class)).isEqualTo("5");
        assertThat(Values.as(5, BigDecimal.class)).isEqualByComparingTo("5");
        assertThat(Values.as("true", Boolean.class)).isTrue();
        assertThat(Values.as(LocalDateTime.of(2024, 1, 1, 0, 0), LocalDateTime.class)).isNotNull();
        assertThat(Values.as(LocalDate.of(2024, 1, 1), java.sql.Date.class)).isEqualTo(
                java.sql.Date.valueOf("2024-01-01"));
        assertThat(Values.as(LocalDate.of(2024, 1, 1), LocalDateTime.class)).isEqualTo(
                LocalDateTime.of(2024, 1, 1, 0, 0));
        assertThat(Values.as(null, String.class)).isNull();
        assertThat(catchThrowableOfType(SQLException.class, () -> Values.as("x", Map.class)).getMessage())
                .isEqualTo("Cannot read a String value as java.util.Map; use getObject without a type");
    }

    @Test
    void literalsQuoteTextAndSkipQuotedQuestionMarks() throws SQLException {
        assertThat(Literals.inline("SELECT ?, '?', \"a?\", ? -- ?\n, ? /* ? */, ?", Arrays.asList("it's", 2,
                java.sql.Date.valueOf("2024-01-02"), null))).isEqualTo(
                "SELECT 'it''s', '?', \"a?\", 2 -- ?\n, DATE '2024-01-02' /* ? */, NULL");
        assertThat(Literals.literal(true)).isEqualTo("TRUE");
        assertThat(Literals.literal(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(Literals.literal(1.5d)).isEqualTo("CAST('1.5' AS DOUBLE)");
        assertThat(Literals.literal(LocalDateTime.of(2024, 1, 2, 3, 4, 5))).isEqualTo(
                "TIMESTAMP '2024-01-02 03:04:05'");
        assertThat(catchThrowableOfType(SQLException.class, () -> Literals.inline("SELECT ?, ?", List.of(1)))
                .getMessage()).startsWith("Cannot run the statement: parameter 2 is not set");
        assertThat(Literals.inline("SELECT 'open", List.of())).isEqualTo("SELECT 'open");
    }

    @Test
    void runStatementsAreRecognisedAndRead() throws SQLException {
        assertThat(RunStatement.isRun("call SLUICE_RUN()")).isTrue();
        assertThat(RunStatement.isRun("SELECT 'CALL sluice_run()'")).isFalse();
        assertThat(RunStatement.parse("{call sluice_run('a+ b', 'x=1', 'y=it''s')}", List.of()))
                .isEqualTo(new RunRequest(List.of("a+", "b"), List.of(), Map.of("x", "1", "y", "it's"), false));
        assertThat(RunStatement.parse("CALL sluice_run();", List.of()).select()).isEmpty();
        assertThat(RunStatement.parse("sluice run -s a --exclude b --full-refresh;", List.of()))
                .isEqualTo(new RunRequest(List.of("a"), List.of("b"), Map.of(), true));
        assertThat(catchThrowableOfType(SQLException.class, () -> RunStatement.parse("CALL sluice_run(?)",
                List.of())).getMessage()).isEqualTo("Cannot run CALL sluice_run: parameter 1 is not set; call "
                + "setString(1, ...) first");
        assertThat(catchThrowableOfType(SQLException.class, () -> RunStatement.parse("sluice run --var",
                List.of())).getMessage()).contains("--var needs name=value");
        assertThat(catchThrowableOfType(SQLException.class, () -> RunStatement.parse("SELECT 1", List.of()))
                .getMessage()).isEqualTo("Cannot run 'SELECT 1': it is not CALL sluice_run(...) or sluice run");
    }

    @Test
    void urlsNameAFolderAndKnownOptions() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "ann");
        DriverUrl url = DriverUrl.parse("jdbc:sluice:shop?password=p%26w&user=bob&", properties);
        assertThat(url.folder()).isEqualTo(Path.of("shop").toAbsolutePath());
        assertThat(url.option("user")).isEqualTo("bob");
        assertThat(url.option("password")).isEqualTo("p&w");
        assertThat(url.toString()).isEqualTo("jdbc:sluice:" + Path.of("shop").toAbsolutePath());
        assertThat(new SluiceDriver().acceptsURL("jdbc:duckdb:x")).isFalse();
        assertThat(new SluiceDriver().connect("jdbc:duckdb:x", null)).isNull();
        assertThat(new SluiceDriver().getPropertyInfo("jdbc:sluice:x", properties)).extracting(p -> p.name)
                .containsExactly("user", "password");
        assertThat(new SluiceDriver().jdbcCompliant()).isFalse();
        assertThat(catchThrowableOfType(SQLFeatureNotSupportedException.class,
                () -> new SluiceDriver().getParentLogger()).getMessage()).contains("logs nothing");
    }

    @Test
    void inMemoryResultSetsAreForwardOnlyAndSayWhatIsWrong() throws SQLException {
        ResultSet result = ResultSetTarget.of(List.of("a", "b"), List.of("INTEGER", "VARCHAR"),
                List.of(Arrays.asList(1, "x"), Arrays.asList(2, null)));
        assertThat(result.isBeforeFirst()).isTrue();
        assertThat(catchThrowableOfType(SQLException.class, () -> result.getInt(1)).getMessage())
                .startsWith("Cannot read column 1: the result set is not on a row; call next() first");
        assertThat(result.next()).isTrue();
        assertThat(result.isFirst()).isTrue();
        assertThat(result.getShort("a")).isEqualTo((short) 1);
        assertThat(result.getByte(1)).isEqualTo((byte) 1);
        assertThat(result.getFloat(1)).isEqualTo(1f);
        assertThat(result.getBytes(2)).containsExactly('x');
        assertThat(result.getBigDecimal(1, 2)).isEqualByComparingTo("1.00");
        assertThat(catchThrowableOfType(SQLException.class, () -> result.getInt(3)).getMessage())
                .isEqualTo("Cannot read column 3: the result has columns 1 to 2");
        assertThat(catchThrowableOfType(SQLException.class, () -> result.getInt("c")).getMessage())
                .isEqualTo("Cannot find column 'c' in the result: its columns are a, b");
        assertThat(result.getMetaData().getColumnDisplaySize(1)).isEqualTo(11);
        assertThat(result.getMetaData().isSigned(1)).isTrue();
        assertThat(result.getMetaData().isNullable(1)).isEqualTo(java.sql.ResultSetMetaData.columnNullableUnknown);
        assertThat(catchThrowableOfType(SQLException.class, () -> result.getMetaData().getColumnName(3))
                .getMessage()).isEqualTo("Cannot describe column 3: the result has columns 1 to 2");
        assertThat(catchThrowableOfType(SQLFeatureNotSupportedException.class, result::previous).getMessage())
                .startsWith("Cannot call ResultSet.previous(): the Sluice driver does not support it");
        assertThat(catchThrowableOfType(SQLException.class, () -> result.unwrap(String.class)).getMessage())
                .startsWith("Cannot unwrap ResultSet as java.lang.String");
        assertThat(result.unwrap(ResultSet.class)).isSameAs(result);
        assertThat(result.next()).isTrue();
        assertThat(result.getString(2)).isNull();
        assertThat(result.next()).isFalse();
        assertThat(result.next()).isFalse();
        assertThat(result.getRow()).isZero();
        result.close();
        assertThat(result.isClosed()).isTrue();
        assertThat(catchThrowableOfType(SQLException.class, result::next).getMessage())
                .isEqualTo("Cannot read the result set: it is closed");
        assertThat(result).isNotEqualTo(ResultSetTarget.of(List.of(), List.of(), List.of()));
        assertThat(result.toString()).isEqualTo("SluiceResultSet[a, b]");
    }

    @Test
    void arrowValuesReadAsTheWarehouseGivesThem() {
        assertThat(FlightRows.typeName(new ArrowType.Int(16, true))).isEqualTo("SMALLINT");
        assertThat(FlightRows.typeName(new ArrowType.Int(8, true))).isEqualTo("TINYINT");
        assertThat(FlightRows.typeName(new ArrowType.Int(32, true))).isEqualTo("INTEGER");
        assertThat(FlightRows.typeName(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)))
                .isEqualTo("REAL");
        assertThat(FlightRows.typeName(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)))
                .isEqualTo("DOUBLE");
        assertThat(FlightRows.typeName(ArrowType.Bool.INSTANCE)).isEqualTo("BOOLEAN");
        assertThat(FlightRows.typeName(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")))
                .isEqualTo("TIMESTAMP WITH TIME ZONE");
        assertThat(FlightRows.typeName(new ArrowType.Timestamp(TimeUnit.MICROSECOND, null))).isEqualTo("TIMESTAMP");
        assertThat(FlightRows.typeName(ArrowType.Binary.INSTANCE)).isEqualTo("BLOB");
        assertThat(FlightRows.plain(new ArrowType.Date(DateUnit.DAY), 1)).isEqualTo(LocalDate.of(1970, 1, 2));
        assertThat(FlightRows.plain(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"), 1_000_000L))
                .isEqualTo(java.time.OffsetDateTime.parse("1970-01-01T00:00:01Z"));
        assertThat(FlightRows.plain(ArrowType.Utf8.INSTANCE, new Text("x"))).isEqualTo("x");
        assertThat(FlightRows.plain(ArrowType.Utf8.INSTANCE, null)).isNull();
    }
}
