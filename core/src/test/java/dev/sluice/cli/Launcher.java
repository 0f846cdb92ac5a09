package dev.sluice.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The launcher run in-process as a user runs it, for tests: its exit code and what it printed. */
final class Launcher {
    private Launcher() {
    }

    /** What one command did. */
    record Outcome(int code, String out, String err) {
    }

    static Outcome sluice(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(code, out.toString(), err.toString());
    }
}
