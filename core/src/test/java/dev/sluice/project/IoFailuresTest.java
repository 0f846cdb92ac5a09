package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

class IoFailuresTest {
    @Test
    void eachFileSystemFailureSaysWhatWentWrongAndWhere() {
        assertThat(IoFailures.describe(new NoSuchFileException("/p/a"))).isEqualTo("/p/a: no such file or folder");
        assertThat(IoFailures.describe(new AccessDeniedException("/p/a"))).isEqualTo("/p/a: permission denied");
        assertThat(IoFailures.describe(new FileAlreadyExistsException("/p/a")))
                .isEqualTo("/p/a: a file is in the way (a folder is needed, or it exists already)");
        assertThat(IoFailures.describe(new NotDirectoryException("/p/a"))).isEqualTo("/p/a: not a folder");
        assertThat(IoFailures.describe(new DirectoryNotEmptyException("/p/a"))).isEqualTo("/p/a: the folder is not empty");
        assertThat(IoFailures.describe(new FileSystemException("/p/a", "/p/b", "Is a directory")))
                .isEqualTo("/p/a (and /p/b): Is a directory");
        assertThat(IoFailures.describe(new FileSystemException("/p/a"))).isEqualTo("/p/a: FileSystemException");
    }

    @Test
    void otherFailuresKeepTheirMessage() {
        assertThat(IoFailures.describe(new IOException("disk on fire"))).isEqualTo("disk on fire");
        assertThat(IoFailures.describe(new IOException())).isEqualTo("IOException");
        assertThat(IoFailures.describe(new FileSystemException(null))).isEqualTo("FileSystemException");
    }
}
