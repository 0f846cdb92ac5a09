package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * A pipeline folder for one test: a copy of a scenario under {@code src/test/resources/projects/<scenario>} (or of a
 * shipped example), or a folder the test writes file by file; it runs the pipeline and queries its warehouse through
 * the public API. The one helper for pipeline folders in tests.
 */
public final class ProjectFixture {
    /** Where the scenarios live. */
    public static final Path SCENARIOS = Path.of("src/test/resources/projects");
    /**
     * The repository's root, which holds the shipped examples, the README and the benchmarks: tests run in the
     * module's folder ({@code core/}), one below it.
     */
    public static final Path REPOSITORY = Path.of("..");

    private final Path root;

    private ProjectFixture(Path root) {
        this.root = root;
    }

    /** Copies {@code src/test/resources/projects/<scenario>} into {@code dir/<scenario>}. */
    public static ProjectFixture copy(String scenario, Path dir) {
        return new ProjectFixture(copyFolder(SCENARIOS.resolve(scenario), dir.resolve(scenario)));
    }

    /** Copies {@code src/test/resources/projects/<scenario>} into {@code folder} itself, for a test that names it. */
    public static ProjectFixture copyTo(String scenario, Path folder) {
        return new ProjectFixture(copyFolder(SCENARIOS.resolve(scenario), folder));
    }

    /** Copies the shipped example {@code sql/examples/<name>} into {@code dir/<name>}. */
    public static ProjectFixture example(String name, Path dir) {
        return new ProjectFixture(copyFolder(REPOSITORY.resolve("sql/examples").resolve(name), dir.resolve(name)));
    }

    /** The project folder {@code folder}, existing or to be written file by file with {@link #write}. */
    public static ProjectFixture at(Path folder) {
        return new ProjectFixture(folder);
    }

    /** The project folder. */
    public Path root() {
        return root;
    }

    /** Writes (or overwrites) a file under the project folder, creating its folders; returns the file. */
    public Path write(String relative, String text) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rewrites a file of the project with {@code from} replaced by {@code to}, for a variant of a scenario; fails when
     * the file does not hold {@code from}, so that a scenario edited apart from its tests is noticed.
     */
    public Path replace(String relative, String from, String to) {
        try {
            String text = Files.readString(root.resolve(relative), StandardCharsets.UTF_8);
            if (!text.contains(from)) {
                throw new AssertionError(relative + " of " + root + " does not hold '" + from + "'");
            }
            return write(relative, text.replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes files given as path, text, path, text...; returns the project folder. */
    public Path files(String... pathsAndTexts) {
        if (pathsAndTexts.length % 2 != 0) {
            throw new IllegalArgumentException("files come as path, text pairs: " + pathsAndTexts.length + " strings");
        }
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            write(pathsAndTexts[i], pathsAndTexts[i + 1]);
        }
        return root;
    }

    /** Opens the project as its files are now. */
    public Sluice open() {
        return Sluice.open(root);
    }

    /** Runs the whole project as its files are now. */
    public RunResult run() {
        return run(RunOptions.defaults());
    }

    /** Runs the project as its files are now. */
    public RunResult run(RunOptions options) {
        return open().run(options);
    }

    /** Queries the project's warehouse. */
    public QueryResult query(String sql) {
        return open().query(sql);
    }

    /**
     * The SluiceException {@code call} throws (reading or running a project); an AssertionError when it throws none,
     * so that a test of a refused project reads {@code assertThat(failure(() -> ...).getMessage())...}.
     */
    public static SluiceException failure(ThrowingCallable call) {
        SluiceException e = catchThrowableOfType(SluiceException.class, call);
        if (e == null) {
            throw new AssertionError("expected a SluiceException, got none");
        }
        return e;
    }

    /** Copies a folder (without its {@code target} folder of built output) and returns the copy. */
    public static Path copyFolder(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                if (relative.startsWith("target")) {
                    continue;
                }
                Path destination = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the launcher in-process as a user would ({@code sluice <args>}), checks its exit code and returns what it
     * printed (standard output and error together, as a terminal shows them).
     */
    public static String sluice(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        int exit = Main.run(writer, writer, args);
        writer.flush();
        assertThat(exit).as(out.toString()).isEqualTo(expectedExit);
        return out.toString();
    }
}
