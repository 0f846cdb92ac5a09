package dev.sluice.project;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Secrets kept in files, as {@code ${file:path}} names them: a file only its owner may read or write, holding the
 * secret alone. Shared by sluice.yml's references and {@code sluice serve}'s settings.
 */
public final class FileSecrets {
    private FileSecrets() {
    }

    /** Why a secret file cannot be used; the message names the reference, the file and the fix, never content. */
    public static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    /**
     * The content of {@code written} (relative to {@code base}, which messages call {@code baseName}, or absolute) with one trailing line break removed
     * ({@code echo s > f} writes one). A file its group or others may read or write is refused: the secret would
     * not be the owner's alone.
     */
    public static String read(Path base, String baseName, String written) throws Unusable {
        String reference = "${file:" + written + "}";
        if (written.isBlank()) {
            throw new Unusable("Cannot resolve " + reference + ": no file named; write ${file:path}, relative to "
                    + baseName);
        }
        Path path = base.resolve(written).toAbsolutePath().normalize();
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            Set<PosixFilePermission> shared = EnumSet.copyOf(permissions);
            shared.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE));
            if (!shared.isEmpty()) {
                throw new Unusable(String.format("Cannot resolve %s: %s may be read or written by others than its "
                        + "owner (permissions %s); run chmod 600 %s", reference, path,
                        PosixFilePermissions.toString(permissions), path));
            }
            if (!Files.isRegularFile(path)) {
                throw new Unusable(String.format("Cannot resolve %s: %s is not a file; point ${file:...} at a file "
                        + "holding only the secret", reference, path));
            }
            String value = Files.readString(path, StandardCharsets.UTF_8);
            value = value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                    : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
            if (value.isEmpty()) {
                throw new Unusable(String.format("Cannot resolve %s: %s is empty; write the secret into it",
                        reference, path));
            }
            return value;
        } catch (NoSuchFileException e) {
            throw new Unusable(String.format("Cannot resolve %s: %s does not exist; create it holding only the secret "
                    + "and run chmod 600 %s", reference, path, path));
        } catch (UnsupportedOperationException e) {
            throw new Unusable(String.format("Cannot resolve %s: the file system of %s has no POSIX permissions to "
                    + "show that only its owner may read it; use ${env:NAME} instead", reference, path));
        } catch (IOException e) {
            // the reason names only the path, never content
            throw new Unusable(String.format("Cannot resolve %s: %s cannot be read (%s); make it readable by the user "
                    + "running sluice", reference, path, e.getClass().getSimpleName()));
        }
    }
}
