package dev.sluice.plan;

/** Did-you-mean hints for names a user typed. Stateless. */
public final class Suggestions {
    private Suggestions() {
    }

    /** {@code ; did you mean 'orders'?} when a candidate is close enough to be a typo of {@code name}; otherwise "". */
    public static String didYouMean(String name, Iterable<String> candidates) {
        String suggestion = NameResolver.suggest(name, candidates);
        return suggestion == null ? "" : "; did you mean '" + suggestion + "'?";
    }
}
