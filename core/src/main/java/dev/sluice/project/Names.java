package dev.sluice.project;

import java.util.Locale;

/** Did-you-mean hints for names a user typed (models, sources, columns). Stateless. */
public final class Names {
    private Names() {
    }

    /** The closest candidate, when it is close enough to be a typo; null otherwise. */
    public static String suggest(String name, Iterable<String> candidates) {
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = levenshtein(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    /** {@code ; did you mean 'orders'?} when a candidate is close enough to be a typo of {@code name}; otherwise "". */
    public static String didYouMean(String name, Iterable<String> candidates) {
        String suggestion = suggest(name, candidates);
        return suggestion == null ? "" : "; did you mean '" + suggestion + "'?";
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
