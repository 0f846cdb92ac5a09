package dev.sluice.plan;

import dev.sluice.engine.Sql;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Offsets, tokens and in-place edits of SQL text. The lexer knows just enough SQL (quoted identifiers, string
 * literals, {@code --} and block comments) to find words and punctuation outside literals and comments.
 */
final class SqlText {

    /** A token: {@code WORD} (unquoted identifier or keyword), {@code QUOTED} identifier, {@code STRING}, {@code NUMBER} or {@code SYMBOL}. */
    record Token(Kind kind, int start, int end, String text) {
        enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL }

        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        boolean isIdentifier() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }

        /** The identifier's name: unquoted, with doubled quotes collapsed. */
        String identifier() {
            return kind == Kind.QUOTED ? text.substring(1, text.length() - 1).replace("\"\"", "\"") : text;
        }
    }

    /** Replace {@code [start, end)} by {@code replacement}. */
    record Edit(int start, int end, String replacement) {
    }

    private final String text;
    /**
     * Where each line starts, found on first use: a model taken from the plan cache never asks (finding them for
     * 1,000 models was ~7 ms of a new process's cached plan). Volatile: models parse on several threads.
     */
    private volatile int[] lineStarts;

    SqlText(String text) {
        this.text = text;
    }

    private int[] lineStarts() {
        int[] starts = lineStarts;
        if (starts == null) {
            List<Integer> found = new ArrayList<>();
            found.add(0);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                // like the parser (JavaCC): \n, \r and \r\n each end a line
                if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                    found.add(i + 1);
                }
            }
            starts = found.stream().mapToInt(Integer::intValue).toArray();
            lineStarts = starts;
        }
        return starts;
    }

    String text() {
        return text;
    }

    /** The string offset of a 1-based line and column as the parser reports them (a tab is one column). */
    int offset(int line, int column) {
        int[] starts = lineStarts();
        int index = Math.max(0, Math.min(line, starts.length) - 1);
        return Math.min(text.length(), starts[index] + Math.max(column, 1) - 1);
    }

    /** The 1-based line of an offset. */
    int line(int offset) {
        int[] starts = lineStarts();
        int line = 0;
        while (line + 1 < starts.length && starts[line + 1] <= offset) {
            line++;
        }
        return line + 1;
    }

    /** The 1-based column of an offset. */
    int column(int offset) {
        return offset - lineStarts()[line(offset) - 1] + 1;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The text with the edits applied; edits must not overlap. */
    String apply(List<Edit> edits) {
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start));
        StringBuilder result = new StringBuilder(text.length() + 64);
        int position = 0;
        for (Edit edit : sorted) {
            result.append(text, position, edit.start()).append(edit.replacement());
            position = edit.end();
        }
        return result.append(text, position, text.length()).toString();
    }

    /** The text with comments and literals blanked out (offsets kept), for pattern searches over the SQL proper. */
    String masked() {
        char[] chars = text.toCharArray();
        int i = 0;
        while (i < chars.length) {
            int end = skip(i);
            if (end > i) {
                blank(chars, i, end);
                i = end;
            } else if (chars[i] == '\'') {
                end = Sql.quotedEnd(text, i);
                blank(chars, i, end);
                i = end;
            } else {
                i++;
            }
        }
        return new String(chars);
    }

    private static void blank(char[] chars, int from, int to) {
        for (int j = from; j < to; j++) {
            if (chars[j] != '\n' && chars[j] != '\r') {
                chars[j] = ' ';
            }
        }
    }

    List<Token> tokens() {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = text.length();
        while (i < length) {
            int skipped = skip(i);
            if (skipped > i) {
                i = skipped;
                continue;
            }
            char c = text.charAt(i);
            int end;
            Token.Kind kind;
            if (c == '"') {
                end = Sql.quotedEnd(text, i);
                kind = Token.Kind.QUOTED;
            } else if (c == '\'') {
                end = Sql.quotedEnd(text, i);
                kind = Token.Kind.STRING;
            } else if (Character.isLetter(c) || c == '_') {
                end = i + 1;
                while (end < length && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_'
                        || text.charAt(end) == '$')) {
                    end++;
                }
                kind = Token.Kind.WORD;
            } else if (Character.isDigit(c)) {
                end = i + 1;
                while (end < length && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '.')) {
                    end++;
                }
                kind = Token.Kind.NUMBER;
            } else {
                end = i + 1;
                kind = Token.Kind.SYMBOL;
            }
            tokens.add(new Token(kind, i, end, text.substring(i, end)));
            i = end;
        }
        return tokens;
    }

    /**
     * The session variables the SQL reads by name, as {@code getvariable('name')} (how a model reads its window bounds
     * and secret vars on every engine before it is printed for one), outside comments and literals.
     */
    Set<String> variablesRead() {
        List<Token> tokens = tokens();
        Set<String> names = new TreeSet<>();
        for (int i = 0; i + 3 < tokens.size(); i++) {
            if (tokens.get(i).isWord("getvariable") && tokens.get(i + 1).isSymbol("(")
                    && tokens.get(i + 2).kind() == Token.Kind.STRING && tokens.get(i + 3).isSymbol(")")) {
                String literal = tokens.get(i + 2).text();
                names.add(literal.substring(1, literal.length() - 1).replace("''", "'"));
            }
        }
        return names;
    }

    /** The end of the whitespace or comment starting at {@code i}, or {@code i} when there is none. */
    private int skip(int i) {
        int length = text.length();
        char c = text.charAt(i);
        if (Character.isWhitespace(c)) {
            int end = i + 1;
            while (end < length && Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            return end;
        }
        if (c == '-' && i + 1 < length && text.charAt(i + 1) == '-') {
            int end = i + 2;
            while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            return end;
        }
        if (c == '/' && i + 1 < length && text.charAt(i + 1) == '*') {
            int close = text.indexOf("*/", i + 2);
            return close < 0 ? length : close + 2;
        }
        return i;
    }

    /** The offset of the first token (after leading comments and whitespace), or the text's length. */
    int firstTokenOffset() {
        int i = 0;
        while (i < text.length()) {
            int end = skip(i);
            if (end == i) {
                return i;
            }
            i = end;
        }
        return text.length();
    }

    /** An edit removing the statement's trailing {@code ;}, if any. */
    List<Edit> trailingSemicolon() {
        List<Token> tokens = tokens();
        List<Edit> edits = new ArrayList<>();
        for (int i = tokens.size() - 1; i >= 0 && tokens.get(i).isSymbol(";"); i--) {
            edits.add(new Edit(tokens.get(i).start(), tokens.get(i).end(), ""));
        }
        return edits;
    }

    /**
     * The offset after a leading {@code WITH} (or {@code WITH RECURSIVE}) keyword, where more common table
     * expressions can be added; -1 when the statement does not start with WITH.
     */
    int afterLeadingWith() {
        List<Token> tokens = tokens();
        if (tokens.isEmpty() || !tokens.get(0).isWord("with")) {
            return -1;
        }
        if (tokens.size() > 1 && tokens.get(1).isWord("recursive")) {
            return tokens.get(1).end();
        }
        return tokens.get(0).end();
    }

    /**
     * Table names written after FROM, JOIN or a comma in a FROM list: each as its parts and span. A name followed
     * by {@code (} is a table function and left out. Used for SQL that only DuckDB's parser reads.
     */
    List<NameSpan> tableNames() {
        List<Token> tokens = tokens();
        List<NameSpan> names = new ArrayList<>();
        List<Boolean> inFrom = new ArrayList<>();
        inFrom.add(false);
        Token previous = null;
        int i = 0;
        while (i < tokens.size()) {
            Token token = tokens.get(i);
            int depth = inFrom.size() - 1;
            if (token.isSymbol("(")) {
                inFrom.add(false);
            } else if (token.isSymbol(")")) {
                if (depth > 0) {
                    inFrom.remove(depth);
                }
            } else if (token.kind() == Token.Kind.WORD && isClauseEnd(token.text())) {
                inFrom.set(depth, token.isWord("from"));
            } else if (token.isIdentifier() && previous != null
                    && (previous.isWord("from") || previous.isWord("join")
                            || (previous.isSymbol(",") && inFrom.get(depth)))) {
                List<String> parts = new ArrayList<>();
                parts.add(token.identifier());
                int j = i + 1;
                while (j + 1 < tokens.size() && tokens.get(j).isSymbol(".") && tokens.get(j + 1).isIdentifier()) {
                    parts.add(tokens.get(j + 1).identifier());
                    j += 2;
                }
                boolean function = j < tokens.size() && tokens.get(j).isSymbol("(");
                if (!function) {
                    names.add(new NameSpan(parts, token.start(), tokens.get(j - 1).end()));
                }
                previous = tokens.get(j - 1);
                i = j;
                continue;
            }
            previous = token;
            i++;
        }
        return names;
    }

    private static boolean isClauseEnd(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "from", "where", "group", "having", "qualify", "window", "order", "limit", "offset", "union",
                    "except", "intersect", "on", "using", "select", "returning" -> true;
            default -> false;
        };
    }

    /** A (possibly qualified) name and its span in the text. */
    record NameSpan(List<String> parts, int start, int end) {
        NameSpan {
            parts = List.copyOf(parts);
        }
    }
}
