package dev.sluice.storage.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileIOTest {
    @TempDir
    Path dir;

    @Test
    void writesReadsSeeksAndRemembersWhatItCreated() throws IOException {
        LocalFileIO io = new LocalFileIO();
        Path file = dir.resolve("a/b/f.bin");
        OutputFile output = io.newOutputFile(LocalFileIO.location(file));
        assertThat(output.location()).startsWith("file:/").endsWith("a/b/f.bin");
        try (PositionOutputStream out = output.create()) {
            out.write('x');
            out.write("yz0123".getBytes(StandardCharsets.UTF_8), 0, 6);
            assertThat(out.getPos()).isEqualTo(7);
        }
        assertThatThrownBy(output::create).isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("File already exists");
        InputFile input = output.toInputFile();
        assertThat(input.exists()).isTrue();
        assertThat(input.getLength()).isEqualTo(7);
        try (SeekableInputStream in = io.newInputFile(file.toString()).newStream()) {
            in.seek(3);
            assertThat(in.getPos()).isEqualTo(3);
            assertThat((char) in.read()).isEqualTo('0');
            byte[] rest = new byte[3];
            assertThat(in.read(rest, 0, 3)).isEqualTo(3);
            assertThat(new String(rest, StandardCharsets.UTF_8)).isEqualTo("123");
        }
        try (PositionOutputStream out = output.createOrOverwrite()) {
            out.write('q');
            out.flush();
        }
        assertThat(Files.readString(file)).isEqualTo("q");
        assertThat(io.created()).containsExactly(file, file);
        io.deleteFile(input.location());
        assertThat(Files.exists(file)).isFalse();
        assertThat(LocalFileIO.path(LocalFileIO.location(file))).isEqualTo(file.toAbsolutePath().normalize());
    }

    @Test
    void aMissingFileIsIcebergsNotFound() {
        InputFile missing = new LocalFileIO().newInputFile(dir.resolve("none").toString());
        assertThat(missing.exists()).isFalse();
        assertThatThrownBy(missing::getLength).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("File does not exist");
        assertThatThrownBy(missing::newStream).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("File does not exist");
    }
}
