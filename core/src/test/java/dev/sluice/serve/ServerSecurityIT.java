package dev.sluice.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.ErrorCode;
import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import dev.sluice.exec.WarehouseLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server with TLS (a self-signed certificate made here) and a bearer token from the environment. */
class ServerSecurityIT {
    /** Set by surefire (pom.xml): a distinctive value the test can search Sluice's files for. */
    private static final String TOKEN_VARIABLE = "SLUICE_TEST_HTTP_TOKEN";

    @TempDir
    static Path dir;
    static ProjectFixture project;
    static SluiceServer server;
    static Path certificateFile;

    @BeforeAll
    static void startServer() throws Exception {
        project = ProjectFixture.at(dir.resolve("tls"));
        project.write("sluice.yml", "name: tls\n");
        project.write("models/numbers.sql", "/*---\nmaterialized: table\n---*/\nSELECT 42 AS answer\n");
        assertThat(project.run().succeeded()).isTrue();
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        Certificate certificate = store.getCertificate("server");
        Key key = store.getKey("server", "changeit".toCharArray());
        certificateFile = Files.writeString(dir.resolve("server.crt"), pem("CERTIFICATE",
                certificate.getEncoded()));
        Path keyFile = Files.writeString(dir.resolve("server.key"), pem("PRIVATE KEY", key.getEncoded()));
        String token = ServeOptions.fromEnvironment("${env:" + TOKEN_VARIABLE + "}", "--token");
        server = SluiceServer.start(project.root(), ServeOptions.loopback().withToken(token)
                .withTls(certificateFile, keyFile), dev.sluice.cli.Main::run, notice -> {
                });
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Connection connect(String token, boolean tls) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("token", token);
        properties.setProperty("useEncryption", Boolean.toString(tls));
        properties.setProperty("disableCertificateVerification", "true");
        return DriverManager.getConnection("jdbc:arrow-flight-sql://" + server.address(), properties);
    }

    @Test
    void theTokenHolderReadsOverTls() throws SQLException {
        try (Connection connection = connect(System.getenv(TOKEN_VARIABLE), true);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT answer FROM numbers")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void aWrongTokenOrPlainTextIsRefused() {
        SQLException wrong = catchThrowableOfType(SQLException.class, () -> {
            try (Connection connection = connect("not-the-token", true); Statement statement =
                    connection.createStatement()) {
                statement.executeQuery("SELECT 1").close();
            }
        });
        assertThat(wrong.getMessage()).contains("the bearer token is wrong");
        SQLException plain = catchThrowableOfType(SQLException.class, () -> {
            try (Connection connection = connect(System.getenv(TOKEN_VARIABLE), false); Statement statement =
                    connection.createStatement()) {
                statement.executeQuery("SELECT 1").close();
            }
        });
        assertThat((Throwable) plain).isNotNull();
    }

    @Test
    void theCliForwardsToTheTlsServerTrustingTheCertificateNamedInTheEnvironment() {
        String holder = WarehouseLock.holder(project.root().resolve("target/tls.duckdb"));
        assertThat(holder).endsWith("; serving Flight SQL over TLS on " + server.address());
        assertThat(ServerAddress.parse(holder)).hasValueSatisfying(address -> {
            assertThat(address.tls()).isTrue();
            assertThat(address.port()).isEqualTo(server.address().port());
        });
        String root = project.root().toString();
        String token = System.getenv(TOKEN_VARIABLE);

        assertThat(cli(Map.of("SLUICE_TOKEN", token, ServerClient.TRUST_VARIABLE, certificateFile.toString()),
                "query", root, "SELECT answer FROM numbers")).startsWith("0\n").contains("42");
        // The JVM's own trust store does not know a self-signed certificate: the CLI says what to set.
        assertThat(cli(Map.of("SLUICE_TOKEN", token), "query", root, "SELECT 1")).startsWith("2\n")
                .contains("Cannot send 'query' to the server at " + server.address())
                .contains("the server speaks TLS: if its certificate is self-signed or from a private CA, set "
                        + "SLUICE_TLS_CA to its PEM file");
        Path missing = dir.resolve("no-such.crt");
        assertThat(cli(Map.of("SLUICE_TOKEN", token, ServerClient.TRUST_VARIABLE, missing.toString()), "query", root,
                "SELECT 1")).startsWith("2\n").contains("SLUICE_TLS_CA names " + missing + ", which is not a "
                        + "readable file; point it at the PEM certificate of the server or of its CA");
    }

    /** What the server answered the CLI's command: exit code, then standard output and error. */
    private static String cli(Map<String, String> environment, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = ServerClient.cli(server.address(), List.of(args), environment, new java.io.PrintWriter(out),
                new java.io.PrintWriter(err));
        return code + "\n" + out + err;
    }

    @Test
    void theTokenIsWrittenNowhere() throws Exception {
        String token = System.getenv(TOKEN_VARIABLE);
        String holder = WarehouseLock.holder(project.root().resolve("target/tls.duckdb"));
        assertThat(List.of(String.valueOf(holder), ServeOptions.loopback().withToken(token).toString()))
                .noneMatch(text -> text.contains(token));
        try (var files = Files.walk(project.root())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(file.toString()).doesNotContain(token);
            }
        }
    }

    @Test
    void secretsComeOnlyFromTheEnvironment() {
        SluiceException literal = catchThrowableOfType(SluiceException.class,
                () -> ServeOptions.fromEnvironment("hunter2", "--token"));
        assertThat(literal).hasMessageContaining("--token takes ${env:NAME} or ${file:path}, never the secret itself");
        SluiceException unset = catchThrowableOfType(SluiceException.class,
                () -> ServeOptions.fromEnvironment("${env:SLUICE_NO_SUCH_VARIABLE}", "--token"));
        assertThat(unset).hasMessageContaining("environment variable SLUICE_NO_SUCH_VARIABLE, named by --token, is not "
                + "set");
    }

    @Test
    void aSecretMayComeFromAFileOnlyItsOwnerMayRead() throws java.io.IOException {
        Path secret = project.write("token.txt", "s3cr3t-from-a-file\n");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(ServeOptions.resolver("--token", project.root(), "the project folder").apply("${file:token.txt}"))
                .isEqualTo("s3cr3t-from-a-file");
        assertThat(ServeOptions.fromEnvironment("${file:" + secret + "}", "--token")).isEqualTo("s3cr3t-from-a-file");

        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(catchThrowableOfType(SluiceException.class, () -> ServeOptions.fromEnvironment("${file:" + secret
                + "}", "--token"))).hasMessage("Cannot start the server: --token: Cannot resolve ${file:" + secret
                        + "}: " + secret + " may be read or written by others than its owner (permissions rw-r--r--); "
                        + "run chmod 600 " + secret).extracting(SluiceException::code).isEqualTo(ErrorCode.USAGE);

        // a users file's password from a file beside it
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path users = project.write("file-users.yml", "users:\n  dora: { password: \"${file:token.txt}\", "
                + "permissions: [read] }\n");
        assertThat(Users.read(users, ServeOptions.resolver("the users file", users.getParent(), "its folder"))
                .account("dora").map(Users.Account::password)).hasValue("s3cr3t-from-a-file");
    }

    @Test
    void aSecondServerOrAnOpenServerOffLoopbackIsRefused() {
        SluiceException locked = catchThrowableOfType(SluiceException.class, () -> SluiceServer.start(project.root(),
                ServeOptions.loopback(), dev.sluice.cli.Main::run, notice -> {
                }));
        assertThat(locked.code()).isEqualTo(ErrorCode.WAREHOUSE_LOCKED);
        assertThat(locked).hasMessageContaining("serving Flight SQL over TLS on " + server.address());
        SluiceException open = catchThrowableOfType(SluiceException.class, () -> SluiceServer.start(project.root(),
                ServeOptions.loopback().withAddress("0.0.0.0", 0), dev.sluice.cli.Main::run, notice -> {
                }));
        assertThat(open).hasMessageContaining("Cannot start the server on 0.0.0.0: it would let anyone on the network "
                + "read the warehouse");
    }

    @Test
    void usersFileMistakesAreNamed() {
        Path clear = project.write("clear.yml", "users:\n  carol: { password: hunter2, permissions: [read] }\n");
        assertThat(catchThrowableOfType(SluiceException.class, () -> Users.read(clear, ServeOptions.resolver("x", project.root(), "the project folder"))))
                .hasMessageContaining("the password of user 'carol' is written in the file");
        Path unknown = project.write("unknown.yml", "users:\n  carol: { password_hash: \""
                + PasswordHash.hash("pw") + "\", permissions: [admin] }\n");
        assertThat(catchThrowableOfType(SluiceException.class, () -> Users.read(unknown, ServeOptions.resolver("x", project.root(), "the project folder"))))
                .hasMessageContaining("user 'carol' has unknown permission 'admin'; known: read, run");
        Path bad = project.write("bad.yml", "users:\n  carol: { password_hash: md5xyz }\n");
        assertThat(catchThrowableOfType(SluiceException.class, () -> Users.read(bad, ServeOptions.resolver("x", project.root(), "the project folder"))))
                .hasMessageContaining("the password_hash of user 'carol' is not a pbkdf2-sha256 hash");
        Path empty = project.write("empty.yml", "people: {}\n");
        assertThat(catchThrowableOfType(SluiceException.class, () -> Users.read(empty, ServeOptions.resolver("x", project.root(), "the project folder"))))
                .hasMessageContaining("it has no users: mapping");
        Path both = project.write("both.yml", "users:\n  carol: { permissions: [read] }\n");
        assertThat(catchThrowableOfType(SluiceException.class, () -> Users.read(both, ServeOptions.resolver("x", project.root(), "the project folder"))))
                .hasMessageContaining("user 'carol' needs exactly one of password_hash");
    }
}
