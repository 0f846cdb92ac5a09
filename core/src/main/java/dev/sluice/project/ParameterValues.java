package dev.sluice.project;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Typing of parameter values and their rendering as SQL literals. A value is always rendered as one complete,
 * typed literal, so that no value can change the shape of the query it is put into.
 */
final class ParameterValues {
    // no leading zeros: "02134" is a code, not the number 2134
    private static final Pattern INTEGER = Pattern.compile("[+-]?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    /** A value that cannot be typed: a date that does not exist, a number too large to write. */
    static final class InvalidValue extends Exception {
        InvalidValue(String message) {
            super(message, null, false, false);
        }
    }

    private ParameterValues() {
    }

    /** Types text given on the command line: integer, decimal, true/false, ISO date, else string. */
    static Object fromText(String text) throws InvalidValue {
        if (INTEGER.matcher(text).matches()) {
            return integer(text);
        }
        if (DECIMAL.matcher(text).matches()) {
            return decimal(text);
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.valueOf(text);
        }
        return fromString(text);
    }

    /**
     * Types text given on the command line for a var declared in sluice.yml with {@code declared}: a var keeps the
     * type of its declared value (an integer stays an integer, a string stays a string even when it reads as a
     * number), so that a mistyped value is refused before any SQL is built. A var declared null is typed from the text.
     */
    static Object fromText(String text, Object declared) throws InvalidValue {
        if (declared == null) {
            return fromText(text);
        }
        boolean fits;
        // an integer default such as min_amount: 0 does not make 12.50 wrong: numbers are one type here
        if (declared instanceof Long || declared instanceof BigDecimal) {
            fits = DECIMAL.matcher(text).matches();
        } else if (declared instanceof Boolean) {
            fits = text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false");
        } else if (declared instanceof LocalDate) {
            fits = ISO_DATE.matcher(text).matches();
        } else {
            fits = true;
        }
        if (!fits) {
            throw new InvalidValue("'" + text + "' is not " + typeName(declared) + ", as its declared value "
                    + literal(declared) + " in sluice.yml is");
        }
        return declared instanceof String ? text : fromText(text);
    }

    /** The type of a typed value, as messages name it. */
    static String typeName(Object value) {
        if (value instanceof Long || value instanceof BigDecimal) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean (true or false)";
        }
        if (value instanceof LocalDate) {
            return "a date (yyyy-MM-dd)";
        }
        return "a string";
    }

    /** Types a YAML scalar: YAML's own type, except that strings shaped like ISO dates become dates. */
    static Object fromYaml(YamlNode.Scalar scalar) throws InvalidValue {
        return switch (scalar.type()) {
            case STRING -> fromString(scalar.text());
            case INTEGER -> {
                try {
                    yield integer(scalar.text());
                } catch (NumberFormatException e) {
                    throw new InvalidValue("'" + scalar.text() + "' is not a decimal integer");
                }
            }
            case DECIMAL -> {
                try {
                    yield decimal(scalar.text());
                } catch (NumberFormatException e) {
                    throw new InvalidValue("'" + scalar.text() + "' is not a finite number");
                }
            }
            case BOOLEAN -> scalar.booleanValue();
            case NULL -> null;
        };
    }

    private static Object fromString(String text) throws InvalidValue {
        if (ISO_DATE.matcher(text).matches()) {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw new InvalidValue("'" + text + "' is shaped like a date (yyyy-MM-dd) but no such day exists");
            }
        }
        return text;
    }

    private static Object integer(String text) {
        BigDecimal value = new BigDecimal(text);
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            return value;
        }
    }

    private static BigDecimal decimal(String text) throws InvalidValue {
        BigDecimal value = new BigDecimal(text);
        // toPlainString of 1e999999 would write a million digits
        if (Math.abs(value.scale()) > 1000) {
            throw new InvalidValue("'" + text + "' has too many digits to write as a plain number");
        }
        return value;
    }

    /** The value as one SQL literal: 42, 1.5, TRUE, DATE '2024-01-31', 'it''s', NULL. */
    static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Long number) {
            // parentheses keep "x -${n}" with n = -1 from becoming the comment "x --1"
            return number < 0 ? "(" + number + ")" : number.toString();
        }
        if (value instanceof BigDecimal number) {
            String plain = number.toPlainString();
            return number.signum() < 0 ? "(" + plain + ")" : plain;
        }
        if (value instanceof Boolean flag) {
            return flag ? "TRUE" : "FALSE";
        }
        if (value instanceof LocalDate date) {
            return "DATE '" + date + "'";
        }
        if (value instanceof String text) {
            return "'" + text.replace("'", "''") + "'";
        }
        throw new IllegalArgumentException("not a parameter value: " + value.getClass().getName());
    }
}
