package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The one unchecked exception of Sluice. Its message says what could not be done, why, and the fix;
 * {@link #problems()} lists every problem when several were found at once (for example while loading).
 */
public final class SluiceException extends RuntimeException {
    private final ErrorCode code;
    private final List<String> problems;

    public SluiceException(ErrorCode code, String format, Object... args) {
        this(code, null, format, args);
    }

    public SluiceException(ErrorCode code, Throwable cause, String format, Object... args) {
        super(args.length == 0 ? format : String.format(format, args), cause);
        this.code = requireNonNull(code, "code");
        this.problems = List.of(getMessage());
    }

    private SluiceException(ErrorCode code, String summary, List<String> problems) {
        super(summary + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", problems));
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    /** An exception reporting several problems at once under one summary line. */
    public static SluiceException ofProblems(ErrorCode code, String summary, List<String> problems) {
        if (problems.size() == 1) {
            return new SluiceException(code, "%s", problems.get(0));
        }
        return new SluiceException(code, summary, problems);
    }

    /** The same error with every message rewritten, for example to hide secret values. */
    public SluiceException rewritten(java.util.function.UnaryOperator<String> rewrite) {
        List<String> messages = problems.stream().map(rewrite).toList();
        SluiceException copy = messages.size() == 1
                ? new SluiceException(code, "%s", messages.get(0))
                : new SluiceException(code, rewrite.apply(getMessage().lines().findFirst().orElse("")), messages);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    public ErrorCode code() {
        return code;
    }

    /** Each problem found, one message each; a single-element list for a single problem. */
    public List<String> problems() {
        return problems;
    }
}
