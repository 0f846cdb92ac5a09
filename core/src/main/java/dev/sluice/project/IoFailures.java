package dev.sluice.project;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Words for an I/O failure in a user-facing message. Java's file-system exceptions often carry only a path as their
 * message ({@code FileAlreadyExistsException: /p/afile}), which says nothing to whoever reads it.
 */
public final class IoFailures {
    private IoFailures() {
    }

    /** What went wrong and where, such as {@code /p/afile is a file, not a folder}. */
    public static String describe(IOException failure) {
        if (failure instanceof FileSystemException fs && fs.getFile() != null) {
            String file = fs.getFile();
            String also = fs.getOtherFile() == null ? "" : " (and " + fs.getOtherFile() + ")";
            String what;
            if (failure instanceof NoSuchFileException) {
                what = "no such file or folder";
            } else if (failure instanceof AccessDeniedException) {
                what = "permission denied";
            } else if (failure instanceof FileAlreadyExistsException) {
                what = "a file is in the way (a folder is needed, or it exists already)";
            } else if (failure instanceof NotDirectoryException) {
                what = "not a folder";
            } else if (failure instanceof DirectoryNotEmptyException) {
                what = "the folder is not empty";
            } else {
                what = fs.getReason() == null ? failure.getClass().getSimpleName() : fs.getReason();
            }
            return file + also + ": " + what;
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
}
