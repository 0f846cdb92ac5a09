package dev.sluice.quality;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code when:} condition over upstream quality: {@code quality(m).passed}, {@code quality(m).fail_fraction < 0.05},
 * {@code rows(m) > 0}, combined with {@code and}, {@code or}, {@code not} and parentheses. Immutable; parse once,
 * evaluate per run.
 */
public final class Condition {
    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(?:(?<number>-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)|(?<op><=|>=|!=|<>|=|<|>)"
                    + "|(?<punct>[().])|(?<word>[A-Za-z_][A-Za-z0-9_]*))");
    private static final List<String> FIELDS = List.of("passed", "failed", "fail_fraction", "failed_rows", "rows",
            "warnings");

    /** What a condition may know of a model that already ran in this run. */
    public record ModelQuality(long rows, long failedRows, double failFraction, boolean passed, int warnings) {
    }

    /** The facts of this run: empty when the model did not run (or was skipped). */
    @FunctionalInterface
    public interface Facts {
        Optional<ModelQuality> of(String model);
    }

    /** The result of an evaluation, with the values it read, for the run record: {@code rows(a) = 12 > 0}. */
    public record Evaluation(boolean holds, String explanation) {
    }

    private interface Node {
        Object value(Facts facts, List<String> trace);
    }

    private final String text;
    private final Node root;
    private final Set<String> models;

    private Condition(String text, Node root, Set<String> models) {
        this.text = text;
        this.root = root;
        this.models = Set.copyOf(models);
    }

    /** Parses a condition; throws IllegalArgumentException with the position and what was expected. */
    public static Condition parse(String text) {
        Parser parser = new Parser(text);
        Node root = parser.or();
        if (parser.position < parser.tokens.size()) {
            throw parser.error("unexpected '" + parser.tokens.get(parser.position) + "'");
        }
        return new Condition(text, root, parser.models);
    }

    /** The models the condition reads; they must run before the model that declares it. */
    public Set<String> models() {
        return models;
    }

    public Evaluation evaluate(Facts facts) {
        List<String> trace = new ArrayList<>();
        Object value = root.value(facts, trace);
        if (!(value instanceof Boolean holds)) {
            throw new IllegalArgumentException("condition '" + text + "' is a number, not true or false; compare it, "
                    + "e.g. " + text + " > 0");
        }
        return new Evaluation(holds, text + " is " + holds + " (" + String.join(", ", trace) + ")");
    }

    @Override
    public String toString() {
        return text;
    }

    private static final class Parser {
        final String text;
        final List<String> tokens = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();
        final Set<String> models = new LinkedHashSet<>();
        int position;

        Parser(String text) {
            this.text = text;
            Matcher matcher = TOKEN.matcher(text);
            int at = 0;
            while (!text.substring(at).isBlank()) {
                if (!matcher.region(at, text.length()).lookingAt()) {
                    int bad = text.length() - text.substring(at).stripLeading().length();
                    throw error(bad, "unexpected '" + text.charAt(bad) + "'");
                }
                String token = matcher.group().strip();
                offsets.add(matcher.end() - token.length());
                tokens.add(token);
                at = matcher.end();
            }
        }

        /** An error at the current token, or at the end of the text when there is none left. */
        IllegalArgumentException error(String what) {
            return error(position < offsets.size() ? offsets.get(position) : text.length(), what);
        }

        /** An error at the 0-based offset {@code at}. */
        IllegalArgumentException error(int at, String what) {
            return new IllegalArgumentException("cannot read condition '" + text + "' at character " + (at + 1) + ": "
                    + what + "; write e.g. quality(stg_orders).fail_fraction < 0.05 and rows(stg_orders) > 0");
        }

        String peek() {
            return position < tokens.size() ? tokens.get(position) : "";
        }

        String next() {
            if (position >= tokens.size()) {
                throw error("it ends too early");
            }
            return tokens.get(position++);
        }

        void expect(String token) {
            if (!peek().equals(token)) {
                throw error("expected '" + token + "'");
            }
            position++;
        }

        boolean keyword(String word) {
            if (peek().equalsIgnoreCase(word)) {
                position++;
                return true;
            }
            return false;
        }

        Node or() {
            Node left = and();
            while (keyword("or")) {
                Node l = left;
                Node r = and();
                left = (facts, trace) -> bool(l.value(facts, trace)) | bool(r.value(facts, trace));
            }
            return left;
        }

        Node and() {
            Node left = not();
            while (keyword("and")) {
                Node l = left;
                Node r = not();
                left = (facts, trace) -> bool(l.value(facts, trace)) & bool(r.value(facts, trace));
            }
            return left;
        }

        Node not() {
            if (keyword("not")) {
                Node inner = not();
                return (facts, trace) -> !bool(inner.value(facts, trace));
            }
            return comparison();
        }

        Node comparison() {
            Node left = operand();
            String op = peek();
            if (!List.of("<", "<=", ">", ">=", "=", "!=", "<>").contains(op)) {
                return left;
            }
            position++;
            Node right = operand();
            return (facts, trace) -> {
                double a = number(left.value(facts, trace));
                double b = number(right.value(facts, trace));
                return switch (op) {
                    case "<" -> a < b;
                    case "<=" -> a <= b;
                    case ">" -> a > b;
                    case ">=" -> a >= b;
                    case "=" -> a == b;
                    default -> a != b;
                };
            };
        }

        Node operand() {
            String token = next();
            if (token.equals("(")) {
                Node inner = or();
                expect(")");
                return inner;
            }
            if (Character.isDigit(token.charAt(0)) || token.charAt(0) == '-') {
                double value = Double.parseDouble(token);
                return (facts, trace) -> value;
            }
            String word = token.toLowerCase(Locale.ROOT);
            if (word.equals("true") || word.equals("false")) {
                boolean value = Boolean.parseBoolean(word);
                return (facts, trace) -> value;
            }
            if (!word.equals("quality") && !word.equals("rows")) {
                position--;
                throw error("unknown name '" + token + "'; use quality(model).<field>, rows(model), numbers, true, false");
            }
            expect("(");
            String model = next();
            if (!Character.isLetter(model.charAt(0)) && model.charAt(0) != '_') {
                position--;
                throw error("expected a model name");
            }
            expect(")");
            models.add(model);
            String field = "rows";
            if (word.equals("quality")) {
                expect(".");
                field = next().toLowerCase(Locale.ROOT);
                if (!FIELDS.contains(field)) {
                    position--;
                    throw error("unknown field '" + field + "'; use one of " + String.join(", ", FIELDS));
                }
            }
            String name = word.equals("rows") ? "rows(" + model + ")" : "quality(" + model + ")." + field;
            String chosen = field;
            return (facts, trace) -> {
                ModelQuality quality = facts.of(model).orElseThrow(() -> new IllegalArgumentException(
                        "condition reads " + name + ", but model " + model + " has no result in this run"));
                Object value = switch (chosen) {
                    case "passed" -> quality.passed();
                    case "failed" -> !quality.passed();
                    case "fail_fraction" -> quality.failFraction();
                    case "failed_rows" -> (double) quality.failedRows();
                    case "warnings" -> (double) quality.warnings();
                    default -> (double) quality.rows();
                };
                trace.add(name + " = " + (value instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue())
                        : value));
                return value;
            };
        }

        private static boolean bool(Object value) {
            if (value instanceof Boolean bool) {
                return bool;
            }
            throw new IllegalArgumentException("expected true or false, found the number " + value);
        }

        private static double number(Object value) {
            if (value instanceof Double number) {
                return number;
            }
            throw new IllegalArgumentException("expected a number, found " + value);
        }
    }
}
