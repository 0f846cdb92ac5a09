package dev.sluice.project;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem found while loading, so that one run of {@code sluice} shows them all instead of one
 * per attempt. Each message starts with its location and never contains a secret value.
 */
final class Problems {
    private record Problem(ErrorCode code, String message) {
    }

    private final List<Problem> problems = new ArrayList<>();
    private final List<Secret> secrets = new ArrayList<>();

    void add(ErrorCode code, Location location, String format, Object... args) {
        String message = args.length == 0 ? format : String.format(format, args);
        problems.add(new Problem(code, location + ": " + message));
    }

    /** Values that must be hidden from every message, even one produced before they were known. */
    void addSecret(Secret secret) {
        secrets.add(secret);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    int size() {
        return problems.size();
    }

    /** Throws one exception listing every problem, if there is any. */
    void throwIfAny(String projectDescription) {
        if (problems.isEmpty()) {
            return;
        }
        List<String> messages = problems.stream().map(p -> redact(p.message())).toList();
        // the first problem's code decides the exit code; all load codes are user errors anyway
        ErrorCode code = problems.get(0).code();
        String summary = String.format("Cannot load %s: %d problems; fix them and run again", projectDescription, messages.size());
        throw SluiceException.ofProblems(code, redact(summary), messages);
    }

    /** The text with the secrets known so far replaced by their placeholders. */
    String redact(String text) {
        return Secret.hide(text, secrets);
    }
}
