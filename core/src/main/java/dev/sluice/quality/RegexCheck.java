package dev.sluice.quality;

import dev.sluice.engine.Dialect;
import java.util.ArrayList;
import java.util.List;

/**
 * The failing condition of a regex rule, written so that the engine runs the regular expression only on rows a cheap
 * prefilter cannot decide. A full-match regex costs ~4× the scan of its column (RE2 per row); the string functions
 * below cost a fraction of that (bench/QUALITY.md).
 *
 * <ul>
 *   <li>A pattern that is a sequence of ASCII literals and ASCII classes, each repeated a fixed number of times except
 *   at most one ({@code SKU-[0-9]{1,7}}, {@code [A-Z]{2}\d+}, {@code \d{5}}), is decided without the regex at all:
 *   byte length within the pattern's bounds, the fixed head and tail matched (a prefix and suffix test, or a
 *   {@code GLOB} when they hold classes), and no character of the variable part outside its class
 *   ({@code NOT GLOB 'head*[!class]*tail'}). Exact: a matching value is all ASCII, so bytes are characters, and a
 *   non-ASCII character is in no ASCII class.</li>
 *   <li>Any other pattern keeps the regex behind the literal prefix it must start with, when it has one: rows without
 *   it fail without running the regex.</li>
 * </ul>
 */
final class RegexCheck {
    /** Literal characters that mean themselves in a regex, a GLOB pattern and a SQL string alike. */
    private static final String PLAIN = "-_ ,;:'\"@#%&=~/<>!";
    /** Punctuation a regex escapes to mean itself that is plain in a GLOB pattern (not one of {@code *?[]\\}). */
    private static final String ESCAPABLE = "-_ ,;:'\"@#%&=~/<>!.+(){}|^$";
    /** Above this, a fixed part's GLOB would be long enough that the regex is as cheap. */
    private static final int MAX_FIXED = 64;

    /** One position of the pattern: a literal character or an ASCII class, repeated {@code min..max} times. */
    private record Atom(String glob, String negated, boolean literal, int min, int max) {
    }

    private RegexCheck() {
    }

    /**
     * SQL true for a failing value (NULL for NULL): {@code value} is the value as text; the string functions, GLOB
     * and regex are the {@code dialect}'s.
     */
    static String failing(String value, String pattern, Dialect dialect) {
        String regex = dialect.regexFullMatch(value, pattern);
        List<Atom> atoms = atoms(pattern);
        if (atoms != null) {
            String decided = decided(value, atoms, dialect);
            if (decided != null) {
                return "NOT (" + decided + ")";
            }
        }
        String prefix = literalPrefix(pattern);
        return prefix.isEmpty() ? "NOT " + regex
                : "NOT (" + dialect.startsWith(value, prefix) + " AND " + regex + ")";
    }

    /** The exact condition without the regex, or null when more than one atom varies in length or it is too long. */
    private static String decided(String value, List<Atom> atoms, Dialect dialect) {
        int variable = -1;
        int fixed = 0;
        for (int i = 0; i < atoms.size(); i++) {
            Atom atom = atoms.get(i);
            if (atom.min() != atom.max()) {
                if (variable >= 0) {
                    return null;
                }
                variable = i;
            }
            fixed += atom.min();
        }
        if (fixed > MAX_FIXED) {
            return null;
        }
        if (variable < 0 && atoms.stream().allMatch(Atom::literal)) {
            return value + " = " + dialect.stringLiteral(glob(atoms));
        }
        List<Atom> head = variable < 0 ? atoms : atoms.subList(0, variable);
        List<Atom> tail = variable < 0 ? List.of() : atoms.subList(variable + 1, atoms.size());
        List<String> parts = new ArrayList<>();
        if (variable < 0) {
            parts.add(dialect.byteLength(value) + " = " + fixed);
        } else {
            Atom middle = atoms.get(variable);
            if (middle.literal() && !alphanumeric(middle.glob().charAt(0))) {
                // Punctuation inside GLOB brackets ([!-], [!!]) is where GLOB dialects differ: keep the regex.
                return null;
            }
            int outside = fixed - middle.min();
            parts.add(middle.max() == Integer.MAX_VALUE ? dialect.byteLength(value) + " >= " + fixed
                    : dialect.byteLength(value) + " BETWEEN " + fixed + " AND " + (outside + middle.max()));
        }
        String headGlob = glob(head);
        String tailGlob = glob(tail);
        if (head.stream().allMatch(Atom::literal) && tail.stream().allMatch(Atom::literal)) {
            // Plain prefix and suffix tests are cheaper than a GLOB.
            if (!headGlob.isEmpty()) {
                parts.add(dialect.startsWith(value, headGlob));
            }
            if (!tailGlob.isEmpty()) {
                parts.add(dialect.endsWith(value, tailGlob));
            }
        } else {
            parts.add(dialect.globMatch(value, headGlob + (variable < 0 ? "" : "*") + tailGlob));
        }
        if (variable >= 0) {
            parts.add("NOT " + dialect.globMatch(value, headGlob + "*" + atoms.get(variable).negated() + "*"
                    + tailGlob));
        }
        return String.join(" AND ", parts);
    }

    private static String glob(List<Atom> atoms) {
        StringBuilder glob = new StringBuilder();
        atoms.forEach(atom -> glob.append(atom.glob().repeat(atom.min())));
        return glob.toString();
    }

    /** The pattern as atoms, or null when it uses anything else (groups, alternation, any-character, flags...). */
    private static List<Atom> atoms(String pattern) {
        List<Atom> atoms = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            Atom atom;
            if (c == '[') {
                int end = pattern.indexOf(']', i + 1);
                String items = end < 0 ? null : classItems(pattern.substring(i + 1, end));
                if (items == null) {
                    return null;
                }
                atom = new Atom("[" + items + "]", "[!" + items + "]", false, 1, 1);
                i = end + 1;
            } else if (c == '\\') {
                if (i + 1 == pattern.length()) {
                    return null;
                }
                char escaped = pattern.charAt(i + 1);
                String items = shorthand(escaped);
                if (items != null) {
                    atom = new Atom("[" + items + "]", "[!" + items + "]", false, 1, 1);
                } else if (ESCAPABLE.indexOf(escaped) >= 0) {
                    atom = literal(escaped);
                } else {
                    return null;
                }
                i += 2;
            } else if (alphanumeric(c) || PLAIN.indexOf(c) >= 0) {
                atom = literal(c);
                i++;
            } else {
                return null;
            }
            int[] counts = {1, 1};
            i = quantifier(pattern, i, counts);
            if (i < 0) {
                return null;
            }
            atoms.add(new Atom(atom.glob(), atom.negated(), atom.literal(), counts[0], counts[1]));
        }
        return atoms;
    }

    private static Atom literal(char c) {
        return new Atom(String.valueOf(c), "[!" + c + "]", true, 1, 1);
    }

    /** Reads an optional quantifier at {@code i} into {@code counts}; the index after it, or -1 if unsupported. */
    private static int quantifier(String pattern, int i, int[] counts) {
        if (i == pattern.length()) {
            return i;
        }
        char q = pattern.charAt(i);
        int next;
        switch (q) {
            case '?' -> set(counts, 0, 1);
            case '*' -> set(counts, 0, Integer.MAX_VALUE);
            case '+' -> set(counts, 1, Integer.MAX_VALUE);
            case '{' -> {
                int end = pattern.indexOf('}', i);
                String[] bounds = end < 0 ? new String[0] : pattern.substring(i + 1, end).split(",", -1);
                if (bounds.length == 0 || bounds.length > 2 || !digits(bounds[0])
                        || bounds.length == 2 && !bounds[1].isEmpty() && !digits(bounds[1])) {
                    return -1;
                }
                int min = Integer.parseInt(bounds[0]);
                int max = bounds.length == 1 ? min : bounds[1].isEmpty() ? Integer.MAX_VALUE
                        : Integer.parseInt(bounds[1]);
                if (max < min) {
                    return -1;
                }
                set(counts, min, max);
                i = end;
            }
            default -> {
                return i;
            }
        }
        next = i + 1;
        // A lazy or possessive suffix changes nothing for a full match, but keep such patterns on the regex.
        return next < pattern.length() && (pattern.charAt(next) == '?' || pattern.charAt(next) == '+') ? -1 : next;
    }

    private static void set(int[] counts, int min, int max) {
        counts[0] = min;
        counts[1] = max;
    }

    private static boolean digits(String text) {
        return !text.isEmpty() && text.length() <= 4 && text.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    /** The GLOB items of a regex class body ({@code a-z0-9_}), or null when it is negated or holds anything else. */
    private static String classItems(String body) {
        StringBuilder items = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length() && shorthand(body.charAt(i + 1)) != null) {
                items.append(shorthand(body.charAt(i + 1)));
                i += 2;
            } else if (i + 2 < body.length() && body.charAt(i + 1) == '-' && alphanumeric(c)
                    && sameKind(c, body.charAt(i + 2)) && c <= body.charAt(i + 2)) {
                items.append(c).append('-').append(body.charAt(i + 2));
                i += 3;
            } else if (alphanumeric(c) || c == '_' || c == '.' || c == ' ' || c == ',' || c == ':' || c == '@') {
                items.append(c);
                i++;
            } else {
                return null;
            }
        }
        return items.isEmpty() ? null : items.toString();
    }

    /** RE2's ASCII shorthand classes as GLOB items. */
    private static String shorthand(char c) {
        return switch (c) {
            case 'd' -> "0-9";
            case 'w' -> "0-9A-Za-z_";
            default -> null;
        };
    }

    private static boolean sameKind(char a, char b) {
        return Character.isDigit(a) == Character.isDigit(b) && Character.isUpperCase(a) == Character.isUpperCase(b)
                && alphanumeric(b);
    }

    private static boolean alphanumeric(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /**
     * The literal text every match starts with: the pattern's leading plain characters, less the last when a
     * quantifier follows it; empty when the pattern has an alternation anywhere (its branches may start apart).
     */
    static String literalPrefix(String pattern) {
        if (pattern.indexOf('|') >= 0) {
            return "";
        }
        StringBuilder prefix = new StringBuilder();
        int i = 0;
        while (i < pattern.length() && (alphanumeric(pattern.charAt(i)) || PLAIN.indexOf(pattern.charAt(i)) >= 0)) {
            prefix.append(pattern.charAt(i));
            i++;
        }
        if (i < pattern.length() && "?*+{".indexOf(pattern.charAt(i)) >= 0 && prefix.length() > 0) {
            prefix.setLength(prefix.length() - 1);
        }
        return prefix.toString();
    }
}
