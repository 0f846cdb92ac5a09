package dev.sluice.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The users of a server, read from its users file (YAML):
 * <pre>
 * users:
 *   alice: { password_hash: "pbkdf2-sha256:...", permissions: [read, run] }
 *   bob: { password: "${env:BOB_PASSWORD}", permissions: [read] }
 * </pre>
 * A password is stored as a hash ({@code sluice serve --hash-password}) or taken from the environment, never written
 * in the file. Immutable.
 */
final class Users {
    private final Map<String, Account> accounts;

    private Users(Map<String, Account> accounts) {
        this.accounts = Map.copyOf(accounts);
    }

    /** One user's credential (a hash or a password from the environment) and permissions. */
    record Account(String passwordHash, String password, Set<Permission> permissions) {
        Account {
            permissions = Set.copyOf(permissions);
        }

        boolean accepts(String given) {
            if (passwordHash != null) {
                return PasswordHash.matches(given, passwordHash);
            }
            return java.security.MessageDigest.isEqual(password.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    static Users none() {
        return new Users(Map.of());
    }

    /** One user whose password comes from the environment ({@code SLUICE_USER} style set-ups and tests). */
    static Users of(String user, Account account) {
        return new Users(Map.of(user, account));
    }

    boolean isEmpty() {
        return accounts.isEmpty();
    }

    Optional<Account> account(String user) {
        return Optional.ofNullable(accounts.get(user));
    }

    /**
     * Reads a users file; {@code environment} resolves {@code ${env:NAME}} and {@code ${file:path}} references.
     *
     * @throws SluiceException {@link ErrorCode#USAGE} naming the file, user and setting at fault
     */
    static Users read(Path file, UnaryOperator<String> environment) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot read users file %s: %s; pass --users a readable YAML "
                    + "file with a users: mapping", file, e.getMessage());
        }
        JsonNode users = root == null ? null : root.get("users");
        if (users == null || !users.isObject() || users.isEmpty()) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot read users file %s: it has no users: mapping of user "
                    + "names to { password_hash | password, permissions }; add one", file);
        }
        Map<String, Account> accounts = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = users.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            accounts.put(entry.getKey(), account(file, entry.getKey(), entry.getValue(), environment));
        }
        return new Users(accounts);
    }

    private static Account account(Path file, String user, JsonNode node, UnaryOperator<String> environment) {
        String hash = node.path("password_hash").isTextual() ? node.get("password_hash").asText() : null;
        String password = node.path("password").isTextual() ? node.get("password").asText() : null;
        if ((hash == null) == (password == null)) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot read users file %s: user '%s' needs exactly one of "
                    + "password_hash (from sluice serve --hash-password) or password (${env:NAME} or ${file:path})", file, user);
        }
        if (hash != null && !PasswordHash.valid(hash)) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot read users file %s: the password_hash of user '%s' is "
                    + "not a %s hash; make one with sluice serve --hash-password", file, user, PasswordHash.PREFIX);
        }
        if (password != null) {
            if (!password.matches("\\$\\{(env|file):[^}]+}")) {
                throw new SluiceException(ErrorCode.USAGE, "Cannot read users file %s: the password of user '%s' is "
                        + "written in the file; write password: ${env:NAME}, ${file:path} or a password_hash instead",
                        file, user);
            }
            password = environment.apply(password);
        }
        Set<Permission> permissions = EnumSet.of(Permission.READ);
        for (JsonNode permission : node.path("permissions")) {
            String name = permission.asText().toUpperCase(Locale.ROOT);
            try {
                permissions.add(Permission.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new SluiceException(ErrorCode.USAGE, "Cannot read users file %s: user '%s' has unknown "
                        + "permission '%s'; known: read, run, unmask", file, user, permission.asText());
            }
        }
        return new Account(hash, password, permissions);
    }
}
