package dev.sluice.project;

import dev.sluice.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${env:NAME}} in the string values of sluice.yml with environment variables, and
 * {@code ${file:path}} with the content of a file only its owner may read (relative paths from the project folder),
 * so that secrets never have to be written in the file. Every value it puts in is a secret: it is remembered for
 * redaction.
 */
final class EnvironmentResolver {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]*)}");

    private final Map<String, String> environment;
    private final Path projectRoot;
    private final Path file;
    private final Problems problems;
    private final Set<Secret> secrets = new LinkedHashSet<>();

    /**
     * @param projectRoot the project folder, against which relative {@code ${file:path}} references are resolved
     * @param file the file being read, for the locations of problems
     */
    EnvironmentResolver(Map<String, String> environment, Path projectRoot, Path file, Problems problems) {
        this.environment = environment;
        this.projectRoot = projectRoot;
        this.file = file;
        this.problems = problems;
    }

    /** Values put into the tree, in order of first use. */
    List<Secret> secrets() {
        return List.copyOf(secrets);
    }

    YamlNode resolve(YamlNode node) {
        // Java 17 has no pattern matching in switch; the interface is sealed, so these three cases are all
        if (node instanceof YamlNode.Mapping mapping) {
            Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
            for (YamlNode.Entry entry : mapping.entries().values()) {
                entries.put(entry.key(), new YamlNode.Entry(entry.key(), resolve(entry.value()), entry.line(), entry.column()));
            }
            return new YamlNode.Mapping(entries, mapping.line(), mapping.column());
        }
        if (node instanceof YamlNode.Sequence sequence) {
            List<YamlNode> items = new ArrayList<>();
            for (YamlNode item : sequence.items()) {
                items.add(resolve(item));
            }
            return new YamlNode.Sequence(items, sequence.line(), sequence.column());
        }
        YamlNode.Scalar scalar = (YamlNode.Scalar) node;
        return scalar.type() == YamlNode.Scalar.Type.STRING ? resolveScalar(scalar) : scalar;
    }

    private YamlNode.Scalar resolveScalar(YamlNode.Scalar scalar) {
        Matcher matcher = REFERENCE.matcher(scalar.text());
        if (!matcher.find()) {
            return scalar;
        }
        StringBuilder result = new StringBuilder();
        do {
            Location location = new Location(file, scalar.line(), scalar.column());
            String value = matcher.group(1).equals("file") ? fromFile(matcher.group(2), location)
                    : fromEnvironment(matcher.group(2), location);
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        } while (matcher.find());
        matcher.appendTail(result);
        return scalar.withText(result.toString());
    }

    private String fromEnvironment(String name, Location location) {
        String value = environment.get(name);
        if (!Fields.IDENTIFIER.matcher(name).matches()) {
            problems.add(ErrorCode.PARAMETER_INVALID, location,
                    "Cannot resolve ${env:%s}: '%s' is not an environment variable name; use letters, digits and _", name, name);
            return "";
        }
        if (value == null) {
            problems.add(ErrorCode.PARAMETER_INVALID, location,
                    "Cannot resolve ${env:%s}: environment variable %s is not set; set it before running sluice", name, name);
            return "";
        }
        if (!value.isEmpty()) {
            Secret secret = new Secret(name, value);
            secrets.add(secret);
            problems.addSecret(secret);
        }
        return value;
    }

    /** The content of an owner-only file ({@link FileSecrets#read}), remembered for redaction. */
    private String fromFile(String written, Location location) {
        try {
            String value = FileSecrets.read(projectRoot, "the project folder", written);
            Secret secret = new Secret(written, value, Secret.Origin.FILE);
            secrets.add(secret);
            problems.addSecret(secret);
            return value;
        } catch (FileSecrets.Unusable e) {
            problems.add(ErrorCode.PARAMETER_INVALID, location, "%s", e.getMessage());
        }
        return "";
    }
}
