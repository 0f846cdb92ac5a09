package dev.sluice.storage.iceberg;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * Iceberg's file access on the local file system through java.nio, so that Sluice needs no Hadoop: locations are
 * {@code file:} URIs or plain paths. It remembers the files it created, so that a publish that does not commit can
 * delete what it wrote (manifests, manifest lists, metadata). One instance per publish; not thread-safe.
 */
final class LocalFileIO implements FileIO {
    private final List<Path> created = new ArrayList<>();

    /** The path of a location: a {@code file:} URI or a plain path. */
    static Path path(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }

    /** The location Iceberg metadata records for a path: its {@code file:} URI. */
    static String location(Path path) {
        return path.toAbsolutePath().normalize().toUri().toString();
    }

    /** The files this instance created, in order. */
    List<Path> created() {
        return List.copyOf(created);
    }

    @Override
    public InputFile newInputFile(String location) {
        return new Input(location, path(location));
    }

    @Override
    public OutputFile newOutputFile(String location) {
        return new Output(location, path(location));
    }

    @Override
    public void deleteFile(String location) {
        try {
            Files.deleteIfExists(path(location));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Input(String location, Path path) implements InputFile {
        @Override
        public long getLength() {
            try {
                return Files.size(path);
            } catch (NoSuchFileException e) {
                throw new NotFoundException(e, "File does not exist: %s", location);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public SeekableInputStream newStream() {
            try {
                return new Stream(new RandomAccessFile(path.toFile(), "r"));
            } catch (java.io.FileNotFoundException e) {
                throw new NotFoundException(e, "File does not exist: %s", location);
            }
        }

        @Override
        public boolean exists() {
            return Files.exists(path);
        }
    }

    private final class Output implements OutputFile {
        private final String location;
        private final Path path;

        Output(String location, Path path) {
            this.location = location;
            this.path = path;
        }

        @Override
        public PositionOutputStream create() {
            if (Files.exists(path)) {
                throw new AlreadyExistsException("File already exists: %s", location);
            }
            return open(StandardOpenOption.CREATE_NEW);
        }

        @Override
        public PositionOutputStream createOrOverwrite() {
            return open(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        }

        private PositionOutputStream open(StandardOpenOption... options) {
            try {
                Files.createDirectories(path.getParent());
                OutputStream out = Files.newOutputStream(path, options);
                created.add(path);
                return new Positioned(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String location() {
            return location;
        }

        @Override
        public InputFile toInputFile() {
            return new Input(location, path);
        }
    }

    private static final class Stream extends SeekableInputStream {
        private final RandomAccessFile file;

        Stream(RandomAccessFile file) {
            this.file = file;
        }

        @Override
        public long getPos() throws IOException {
            return file.getFilePointer();
        }

        @Override
        public void seek(long position) throws IOException {
            file.seek(position);
        }

        @Override
        public int read() throws IOException {
            return file.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return file.read(buffer, offset, length);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    private static final class Positioned extends PositionOutputStream {
        private final OutputStream out;
        private long position;

        Positioned(OutputStream out) {
            this.out = new java.io.BufferedOutputStream(out, 1 << 16);
        }

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            position++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            position += length;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
