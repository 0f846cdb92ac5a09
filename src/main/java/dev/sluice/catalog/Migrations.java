package dev.sluice.catalog;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The catalog migrations {@code catalog/V<n>__<description>.sql}, found on the class path (folder or jar). */
final class Migrations {
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(.+)\\.sql");
    private static final Pattern TABLE = Pattern.compile(
            "(?i)\\b(CREATE|DROP)\\s+TABLE\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?sluice\\.(\\w+)");

    record Migration(int version, String description, String sql) {
        /**
         * SHA-256 of the migration's text in hex, its line ends read as LF (a checkout that turns them into CRLF is
         * the same migration); recorded when it is applied, compared on every open.
         */
        String checksum() {
            try {
                byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(hash);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        /** The migration's file, as it is named on the class path. */
        String file() {
            return "catalog/V" + version + "__" + description.replace(' ', '_') + ".sql";
        }

        /** The catalog tables this migration creates (lower case); what an opened catalog at its version must hold. */
        Set<String> createdTables() {
            return tables("CREATE");
        }

        /** The catalog tables this migration drops (lower case). */
        Set<String> droppedTables() {
            return tables("DROP");
        }

        private Set<String> tables(String verb) {
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

    static List<Migration> load() {
        URL url = Migrations.class.getClassLoader().getResource("catalog/V1__init.sql");
        if (url == null) {
            throw new SluiceException(ErrorCode.INTERNAL, "Cannot find the catalog migrations on the class path");
        }
        try {
            if ("jar".equals(url.getProtocol())) {
                return loadFromJar(url.toURI());
            }
            return list(Path.of(url.toURI()).getParent());
        } catch (URISyntaxException | IOException e) {
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot read the catalog migrations: %s", e.getMessage());
        }
    }

    private static List<Migration> loadFromJar(URI file) throws IOException {
        FileSystem jar;
        try {
            jar = FileSystems.getFileSystem(file);
        } catch (FileSystemNotFoundException e) {
            jar = FileSystems.newFileSystem(file, Map.of());
        }
        return list(jar.getPath("/catalog"));
    }

    static List<Migration> list(Path folder) throws IOException {
        List<Migration> migrations = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher name = NAME.matcher(file.getFileName().toString());
                if (name.matches()) {
                    try (InputStream in = Files.newInputStream(file)) {
                        migrations.add(new Migration(Integer.parseInt(name.group(1)), name.group(2).replace('_', ' '),
                                new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
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
        return migrations;
    }
}
