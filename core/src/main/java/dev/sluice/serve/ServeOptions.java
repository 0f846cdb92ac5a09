package dev.sluice.serve;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.project.FileSecrets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@code sluice serve} listens and whom it lets in.
 *
 * @param host the address to bind (loopback by default)
 * @param port the Flight SQL port, 0 for any free one
 * @param usersFile the users file (see {@link Users}), null for none
 * @param token the bearer token a caller may present instead of a user's password (its value, read from the
 *     environment), null for none
 * @param tlsCertificate the PEM certificate chain for TLS, null for plain TCP (then {@code tlsKey} is null too)
 * @param tlsKey the PEM private key (PKCS#8) of the certificate
 * @param metricsPort the loopback HTTP port of {@code /metrics}, 0 for any free one, {@link #NO_METRICS} for none
 */
public record ServeOptions(String host, int port, Path usersFile, String token, Path tlsCertificate, Path tlsKey,
        int metricsPort) {
    /** Where the server listens unless told otherwise: this machine only. */
    public static final String LOOPBACK = "127.0.0.1";
    /** The {@code metricsPort} of a server that serves no metrics. */
    public static final int NO_METRICS = -1;
    private static final Pattern FILE = Pattern.compile("\\A\\$\\{file:([^}]*)}\\z");
    private static final Pattern ENV = Pattern.compile("\\A\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}\\z");

    public ServeOptions {
        Objects.requireNonNull(host, "host");
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot start the server: TLS needs both --tls-cert and "
                    + "--tls-key (PEM files); pass both or neither");
        }
        if (metricsPort < NO_METRICS || metricsPort > 65535) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot start the server: --metrics-port %d is no TCP port; "
                    + "pass 1-65535, 0 for any free one, or -1 for no metrics", metricsPort);
        }
    }

    /** Options without a metrics endpoint. */
    public ServeOptions(String host, int port, Path usersFile, String token, Path tlsCertificate, Path tlsKey) {
        this(host, port, usersFile, token, tlsCertificate, tlsKey, NO_METRICS);
    }

    /** Loopback on any free port, metrics on another, no users, no token, no TLS: for tests and embedding. */
    public static ServeOptions loopback() {
        return new ServeOptions(LOOPBACK, 0, null, null, null, null, 0);
    }

    public ServeOptions withUsers(Path file) {
        return new ServeOptions(host, port, file, token, tlsCertificate, tlsKey, metricsPort);
    }

    public ServeOptions withToken(String value) {
        return new ServeOptions(host, port, usersFile, value, tlsCertificate, tlsKey, metricsPort);
    }

    public ServeOptions withTls(Path certificate, Path key) {
        return new ServeOptions(host, port, usersFile, token, certificate, key, metricsPort);
    }

    /** Serves {@code /metrics} on this loopback port (0: any free one; {@link #NO_METRICS}: none). */
    public ServeOptions withMetricsPort(int loopbackPort) {
        return new ServeOptions(host, port, usersFile, token, tlsCertificate, tlsKey, loopbackPort);
    }

    public ServeOptions withAddress(String bindHost, int bindPort) {
        return new ServeOptions(bindHost, bindPort, usersFile, token, tlsCertificate, tlsKey, metricsPort);
    }

    /**
     * The value of a {@code ${env:NAME}} or {@code ${file:path}} reference given for {@code setting}: secrets are never
     * written on a command line or in a settings file. A relative path starts from the working directory.
     *
     * @throws SluiceException {@link ErrorCode#USAGE} when the text is no such reference, the variable is unset or the
     *     file is not its owner's alone
     */
    public static String fromEnvironment(String reference, String setting) {
        return resolver(setting, Path.of("").toAbsolutePath(), "the working directory").apply(reference);
    }

    /** As {@link #fromEnvironment}, with relative {@code ${file:path}} starting from {@code base}. */
    static UnaryOperator<String> resolver(String setting, Path base, String baseName) {
        return reference -> {
            Matcher file = FILE.matcher(reference);
            if (file.matches()) {
                try {
                    return FileSecrets.read(base, baseName, file.group(1));
                } catch (FileSecrets.Unusable e) {
                    throw new SluiceException(ErrorCode.USAGE, "Cannot start the server: %s: %s", setting,
                            e.getMessage());
                }
            }
            Matcher matcher = ENV.matcher(reference);
            if (!matcher.matches()) {
                throw new SluiceException(ErrorCode.USAGE, "Cannot start the server: %s takes ${env:NAME} or "
                        + "${file:path}, never the secret itself (it would show in the process list and shell "
                        + "history); export it and pass '${env:NAME}', or keep it in an owner-only file", setting);
            }
            String value = System.getenv(matcher.group(1));
            if (value == null || value.isEmpty()) {
                throw new SluiceException(ErrorCode.USAGE, "Cannot start the server: environment variable %s, named by "
                        + "%s, is not set; export it", matcher.group(1), setting);
            }
            return value;
        };
    }

    @Override
    public String toString() {
        // The token is a secret: never part of any text.
        return "ServeOptions[host=" + host + ", port=" + port + ", users=" + usersFile + ", token="
                + (token == null ? "none" : "set") + ", tls=" + (tlsCertificate != null) + ", metricsPort=" + metricsPort
                + "]";
    }
}
