package dev.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migrations as the launcher's jar holds them: found through catalog/INDEX, or by going through the jar. */
class MigrationsJarTest {
    @TempDir
    Path dir;

    private static Map<Integer, String> checksums(List<Migrations.Migration> migrations) {
        return migrations.stream().collect(java.util.stream.Collectors.toMap(Migrations.Migration::version,
                Migrations.Migration::checksum));
    }

    /** A jar of the build's catalog folder (with or without its INDEX), plus other entries as a shaded jar has. */
    private Path jar(String name, boolean withIndex, String... extraIndexLines) throws IOException {
        Path folder = Path.of(Migrations.class.getClassLoader().getResource("catalog/V1__init.sql").getPath())
                .getParent();
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                var files = Files.list(folder)) {
            put(out, "org/example/Other.class", new byte[] {1, 2, 3});
            for (Path file : (Iterable<Path>) files::iterator) {
                String fileName = file.getFileName().toString();
                if (withIndex || !fileName.equals("INDEX")) {
                    byte[] bytes = Files.readAllBytes(file);
                    if (fileName.equals("INDEX") && extraIndexLines.length > 0) {
                        bytes = (new String(bytes, java.nio.charset.StandardCharsets.UTF_8) + "\n"
                                + String.join("\n", extraIndexLines)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    }
                    put(out, "catalog/" + fileName, bytes);
                }
            }
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        ((OutputStream) out).write(bytes);
        out.closeEntry();
    }

    private static List<Migrations.Migration> readFrom(Path jar) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            return Migrations.read(loader);
        }
    }

    @Test
    void aJarWithItsIndexAndOneWithoutGiveTheMigrationsOfTheFolder() throws IOException {
        List<Migrations.Migration> folder = Migrations.load();
        assertThat(Migrations.class.getClassLoader().getResource("catalog/INDEX"))
                .as("the build writes catalog/INDEX").isNotNull();

        assertThat(checksums(readFrom(jar("indexed.jar", true)))).isEqualTo(checksums(folder));
        assertThat(checksums(readFrom(jar("listed.jar", false)))).isEqualTo(checksums(folder));
        assertThat(Migrations.load()).as("read once per class loader").isSameAs(folder);
    }

    @Test
    void theIndexGivesEachMigrationsChecksumAndTablesAndItsTextWhenAsked() throws IOException {
        List<Migrations.Migration> folder = Migrations.load();
        Path index = Path.of(Migrations.class.getClassLoader().getResource("catalog/INDEX").getPath());
        assertThat(Files.readAllLines(index)).as("the build's index: a line per migration")
                .isEqualTo(folder.stream().map(Migrations.Migration::indexLine).toList());
        assertThat(folder.get(0).indexLine()).startsWith("V1__init.sql " + folder.get(0).checksum()
                + " model_runs,rejects,runs,source_loads -");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar("indexed.jar", true).toUri().toURL()}, null)) {
            List<Migrations.Migration> indexed = Migrations.read(loader);
            assertThat(indexed).hasSameSizeAs(folder);
            for (int i = 0; i < folder.size(); i++) {
                Migrations.Migration expected = folder.get(i);
                Migrations.Migration read = indexed.get(i);
                assertThat(List.of(read.version(), read.description(), read.checksum(), read.createdTables(),
                        read.droppedTables())).isEqualTo(List.of(expected.version(), expected.description(),
                        expected.checksum(), expected.createdTables(), expected.droppedTables()));
                assertThat(read.sql()).as("read from the jar when asked").isEqualTo(expected.sql());
            }
        }
    }

    @Test
    void anIndexOfFileNamesOnlyHasTheFilesRead() throws IOException {
        List<Migrations.Migration> folder = Migrations.load();
        Path jar = dir.resolve("names.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            StringBuilder index = new StringBuilder();
            for (Migrations.Migration migration : folder) {
                String file = migration.file();
                index.append(file.substring("catalog/".length())).append('\n');
                put(out, file, migration.sql().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            put(out, "catalog/INDEX", index.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        List<Migrations.Migration> read = readFrom(jar);
        assertThat(checksums(read)).isEqualTo(checksums(folder));
        assertThat(read.get(0).createdTables()).isEqualTo(folder.get(0).createdTables());
    }

    @Test
    void anIndexNamingAFileTheJarLacksIsRefused() throws IOException {
        Path jar = jar("broken.jar", true, "V99__gone.sql");
        assertThatThrownBy(() -> readFrom(jar)).hasMessage("Cannot read the catalog migrations: catalog/INDEX lists "
                + "V99__gone.sql, which is not on the class path");
    }
}
