package dev.sluice.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code jdbc:sluice:<project folder>[?name=value&...]} URL read with the connection's properties: the folder
 * (relative to the working directory, or absolute) and the options, properties first and the URL's over them.
 * Immutable; {@link #toString} never shows the password.
 *
 * @param folder the project folder, absolute
 * @param options {@code user} and {@code password} (for a {@code sluice serve} that asks for them), and {@code unmask}
 *     ({@code true}: masked columns in clear, read in this process; a server decides by the user's permission)
 */
record DriverUrl(Path folder, Map<String, String> options) {
    static final String PREFIX = "jdbc:sluice:";
    static final Set<String> OPTIONS = Set.of("user", "password", "unmask");

    DriverUrl {
        options = Map.copyOf(options);
    }

    static boolean accepts(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    static DriverUrl parse(String url, Properties properties) throws SQLException {
        String rest = url.substring(PREFIX.length());
        int question = rest.indexOf('?');
        String folder = question < 0 ? rest : rest.substring(0, question);
        if (folder.isBlank()) {
            throw new SQLException("Cannot connect to '" + url + "': it names no project folder; use "
                    + "jdbc:sluice:<project folder>, e.g. jdbc:sluice:sql/examples/retail", "08001");
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (properties != null) {
            properties.stringPropertyNames().forEach(name -> options.put(name, properties.getProperty(name)));
        }
        if (question >= 0) {
            for (String pair : rest.substring(question + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                options.put(name, equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        for (String name : options.keySet()) {
            if (!OPTIONS.contains(name)) {
                throw new SQLException("Cannot connect to '" + redacted(url) + "': unknown option '" + name
                        + "'; the options are " + String.join(", ", new TreeSet<>(OPTIONS)), "08001");
            }
        }
        String unmask = options.getOrDefault("unmask", "false");
        if (!unmask.equals("true") && !unmask.equals("false")) {
            throw new SQLException("Cannot connect to '" + redacted(url) + "': unmask=" + unmask
                    + " is neither true nor false; write unmask=true for masked columns in clear", "08001");
        }
        try {
            return new DriverUrl(Path.of(folder).toAbsolutePath().normalize(), options);
        } catch (InvalidPathException e) {
            throw new SQLException("Cannot connect to '" + redacted(url) + "': '" + folder + "' is not a folder path",
                    "08001", e);
        }
    }

    String option(String name) {
        return options.get(name);
    }

    /** Whether the URL asks for masked columns in clear ({@code unmask=true}). */
    boolean unmasked() {
        return "true".equals(options.get("unmask"));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** The URL without a password's value, for messages. */
    private static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return PREFIX + folder;
    }
}
