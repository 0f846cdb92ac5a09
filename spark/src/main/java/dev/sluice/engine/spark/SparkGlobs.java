package dev.sluice.engine.spark;

/**
 * GLOB patterns (DuckDB's and SQLite's: {@code *}, {@code ?}, {@code [class]}, {@code [!class]}, case-sensitive,
 * matching the whole text) as the Java regular expressions that Spark's {@code regexp_like} runs: Spark has no GLOB.
 */
final class SparkGlobs {
    private SparkGlobs() {
    }

    /** The regular expression matching exactly the texts {@code glob} matches, anchored at both ends. */
    static String regex(String glob) {
        StringBuilder regex = new StringBuilder("(?s)^");
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            boolean negated = c == '[' && i + 1 < glob.length() && glob.charAt(i + 1) == '!';
            int first = negated ? i + 2 : i + 1;
            // A class's first character may be ']' itself, as in GLOB; an unclosed '[' is itself.
            int end = c == '[' ? glob.indexOf(']', first + 1) : -1;
            if (end > 0) {
                regex.append(negated ? "[^" : "[");
                for (int j = first; j < end; j++) {
                    char item = glob.charAt(j);
                    if (item == '\\' || item == '[' || item == ']' || item == '^' || item == '&') {
                        regex.append('\\');
                    }
                    regex.append(item);
                }
                regex.append(']');
                i = end + 1;
                continue;
            }
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                if (!Character.isLetterOrDigit(c)) {
                    regex.append('\\');
                }
                regex.append(c);
            }
            i++;
        }
        return regex.append("\\z").toString();
    }
}
