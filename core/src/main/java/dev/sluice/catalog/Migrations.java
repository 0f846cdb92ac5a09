package dev.sluice.catalog;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The catalog migrations {@code catalog/V<n>__<description>.sql}, found on the class path (folder or jar). */
final class Migrations {
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(.+)\\.sql");
    private static final Pattern TABLE = Pattern.compile(
            "(?i)\\b(CREATE|DROP)\\s+TABLE\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?sluice\\.(\\w+)");

    /**
     * One migration file. Its checksum and tables are worked out once, when it is read (or by the build, into
     * {@code catalog/INDEX}), not on each of the catalog opens a command may make.
     *
     * @param checksum SHA-256 of the migration's text in hex, its line ends read as LF (a checkout that turns them
     *     into CRLF is the same migration); recorded when it is applied, compared on every open
     * @param createdTables the catalog tables this migration creates (lower case): what a catalog at its version holds
     * @param droppedTables the catalog tables this migration drops (lower case)
     * @param text the migration's SQL, read when it is first asked for: checking a current catalog needs only the
     *     checksum and tables, which the build's index holds
     */
    record Migration(int version, String description, String checksum, Set<String> createdTables,
            Set<String> droppedTables, Supplier<String> text) {
        Migration {
            createdTables = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(createdTables));
            droppedTables = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(droppedTables));
            java.util.Objects.requireNonNull(text, "text");
        }

        Migration(int version, String description, String sql) {
            this(version, description, checksumOf(sql), tables(sql, "CREATE"), tables(sql, "DROP"), () -> sql);
        }

        /** The migration's SQL. */
        String sql() {
            return text.get();
        }

        private static String checksumOf(String sql) {
            try {
                byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(hash);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        /** Its line of {@code catalog/INDEX}: file name, checksum, created tables, dropped tables ({@code -}: none). */
        String indexLine() {
            return file().substring("catalog/".length()) + " " + checksum + " " + names(createdTables) + " "
                    + names(droppedTables);
        }

        private static String names(Set<String> tables) {
            return tables.isEmpty() ? "-" : String.join(",", tables);
        }

        private static Set<String> names(String field) {
            return field.equals("-") ? Set.of() : Set.of(field.split(","));
        }

        /** The migration's file, as it is named on the class path. */
        String file() {
            return "catalog/V" + version + "__" + description.replace(' ', '_') + ".sql";
        }

        private static Set<String> tables(String sql, String verb) {
            Set<String> tables = new TreeSet<>();
            Matcher statement = TABLE.matcher(sql);
            while (statement.find()) {
                if (statement.group(1).equalsIgnoreCase(verb)) {
                    tables.add(statement.group(2).toLowerCase(Locale.ROOT));
                }
            }
            return tables;
        }
    }

    private Migrations() {
    }

    /**
     * The migrations on the class path, read once per class loader: they cannot change while it runs (a test's edited
     * ones are passed to {@link Catalog#open(dev.sluice.engine.Engine, List)} instead).
     */
    static List<Migration> load() {
        return Loaded.MIGRATIONS;
    }

    private static final class Loaded {
        static final List<Migration> MIGRATIONS = read();
    }

    private static List<Migration> read() {
        return read(Migrations.class.getClassLoader());
    }

    /** The migrations on {@code loader}'s class path: a folder, or a jar (through its index when it has one). */
    static List<Migration> read(ClassLoader loader) {
        URL url = loader.getResource("catalog/V1__init.sql");
        if (url == null) {
            throw new SluiceException(ErrorCode.INTERNAL, "Cannot find the catalog migrations on the class path");
        }
        try {
            if ("jar".equals(url.getProtocol())) {
                List<Migration> indexed = loadFromIndex(loader);
                return indexed != null ? indexed
                        : loadFromJar(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
            }
            return list(Path.of(url.toURI()).getParent());
        } catch (URISyntaxException | IOException e) {
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot read the catalog migrations: %s", e.getMessage());
        }
    }

    /**
     * The migrations listed by {@code catalog/INDEX}, which the build writes beside them (a line per file: its name,
     * checksum and tables, see {@link Migration#indexLine}), read as resources; null when there is no index. In a jar
     * this costs a lookup per file, where listing the folder means going through every entry of the jar; and a
     * migration's text is read only when it is applied, so a start on a current catalog reads, hashes and scans none.
     * A line holding only a file name has that file read as a folder's would be.
     */
    private static List<Migration> loadFromIndex(ClassLoader loader) throws IOException {
        String index;
        try (InputStream in = loader.getResourceAsStream("catalog/INDEX")) {
            if (in == null) {
                return null;
            }
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Migration> migrations = new ArrayList<>();
        for (String line : index.strip().split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.strip().split("\\s+");
            String resource = "catalog/" + fields[0];
            if (loader.getResource(resource) == null) {
                throw new IOException("catalog/INDEX lists " + fields[0] + ", which is not on the class path");
            }
            Matcher name = NAME.matcher(fields[0]);
            if (fields.length == 4 && name.matches()) {
                migrations.add(new Migration(Integer.parseInt(name.group(1)), name.group(2).replace('_', ' '),
                        fields[1], Migration.names(fields[2]), Migration.names(fields[3]), () -> text(loader, resource)));
                continue;
            }
            try (InputStream in = loader.getResourceAsStream(resource)) {
                migration(fields[0], in).ifPresent(migrations::add);
            }
        }
        return checked(migrations);
    }

    /** The text of a migration the index listed, read when it is applied. */
    private static String text(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is no longer on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot read the catalog migrations: %s", e.getMessage());
        }
    }

    /**
     * Writes {@code catalog/INDEX} for the migrations of a folder: the build runs it ({@code mvn process-classes})
     * with the folder and the index file as arguments.
     */
    public static void main(String[] args) throws IOException {
        List<String> lines = list(Path.of(args[0])).stream().map(Migration::indexLine).toList();
        Files.createDirectories(Path.of(args[1]).toAbsolutePath().getParent());
        Files.writeString(Path.of(args[1]), String.join("\n", lines) + "\n");
    }

    /**
     * The migrations in a jar, read through {@link JarFile}: it shares the central directory the class loader has
     * read already, where a zip file system would read and index the whole (large) jar again on every start.
     */
    private static List<Migration> loadFromJar(URI file) throws IOException {
        List<Migration> migrations = new ArrayList<>();
        try (JarFile jar = new JarFile(new java.io.File(file))) {
            for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                String name = entry.getName();
                if (name.startsWith("catalog/") && name.indexOf('/', "catalog/".length()) < 0) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        migration(name.substring("catalog/".length()), in).ifPresent(migrations::add);
                    }
                }
            }
        }
        return checked(migrations);
    }

    static List<Migration> list(Path folder) throws IOException {
        List<Migration> migrations = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                try (InputStream in = Files.newInputStream(file)) {
                    migration(file.getFileName().toString(), in).ifPresent(migrations::add);
                }
            }
        }
        return checked(migrations);
    }

    /** The migration a file of the catalog folder holds, when its name is one ({@code V<n>__<description>.sql}). */
    private static java.util.Optional<Migration> migration(String fileName, InputStream in) throws IOException {
        Matcher name = NAME.matcher(fileName);
        if (!name.matches()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Migration(Integer.parseInt(name.group(1)), name.group(2).replace('_', ' '),
                new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    }

    private static List<Migration> checked(List<Migration> migrations) {
        migrations.sort(Comparator.comparingInt(Migration::version));
        // Two files of one version (two branches that each took the next number) would install only the first of
        // them and record the version as complete: refuse the build instead.
        for (int i = 1; i < migrations.size(); i++) {
            if (migrations.get(i).version() == migrations.get(i - 1).version()) {
                throw new SluiceException(ErrorCode.INTERNAL, "Cannot read the catalog migrations: V%d is both '%s' "
                        + "and '%s'; renumber one of them", migrations.get(i).version(),
                        migrations.get(i - 1).description(), migrations.get(i).description());
            }
        }
        return List.copyOf(migrations);
    }
}
