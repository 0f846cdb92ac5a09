package dev.sluice.connect;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failures of reads of a source read in place, in the user's terms: a query (or a model) reading the view of a files
 * source whose files are gone fails in the engine naming only a file pattern; this names the source, where
 * sluice.yml declares it and its path, and says what to do. Stateless.
 */
public final class InPlaceFiles {
    /** DuckDB's message when a file reader's glob or path matches nothing. */
    private static final Pattern NO_FILES = Pattern.compile("No files found that match the pattern \"([^\"]*)\"");

    private InPlaceFiles() {
    }

    /**
     * {@code failure} with the source named when it is a read of a files source whose files are gone; otherwise
     * {@code failure} itself.
     */
    public static SluiceException explain(Project project, SluiceException failure) {
        Matcher matcher = NO_FILES.matcher(String.valueOf(failure.getMessage()));
        if (!matcher.find()) {
            return failure;
        }
        String pattern = matcher.group(1);
        for (Source source : project.sources()) {
            if (source.spec() instanceof SourceSpec.Files files && files.s3() == null && files.path().equals(pattern)) {
                Path root = project.root();
                Path path = Path.of(files.path());
                String shown = path.startsWith(root) ? root.relativize(path).toString() : path.toString();
                return new SluiceException(ErrorCode.RUN_FAILED, failure, "Cannot read source %s (%s): it is read in "
                        + "place from path %s, and no file matches that path any more; put the files back, or fix the "
                        + "source's path in sluice.yml and run again (load: copy keeps the last rows loaded in the "
                        + "warehouse instead)", source.qualifiedName(), source.location(), project.redact(shown));
            }
        }
        return failure;
    }
}
