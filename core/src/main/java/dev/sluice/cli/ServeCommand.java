package dev.sluice.cli;

import dev.sluice.serve.ServeOptions;
import dev.sluice.serve.SluiceServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Hold the warehouse and serve it over Arrow Flight SQL until stopped (Ctrl-C or SIGTERM).",
                "Reads never wait for runs; sluice query/runs/state/quality/lineage/ls/windows/storage/run on the "
                        + "same project are sent to the server while it runs."})
final class ServeCommand implements Callable<Integer> {
    /** The Flight SQL port unless --port says otherwise. */
    static final int DEFAULT_PORT = 47470;
    /** The loopback port of /metrics unless --metrics-port says otherwise. */
    static final int DEFAULT_METRICS_PORT = 47471;

    @Parameters(index = "0", paramLabel = "DIR", arity = "0..1", description = "The pipeline folder.")
    Path dir;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default ${DEFAULT-VALUE}: "
            + "this machine only).")
    String host = ServeOptions.LOOPBACK;

    @Option(names = "--port", paramLabel = "N", description = "Flight SQL port, 0 for any free one (default "
            + "${DEFAULT-VALUE}).")
    int port = DEFAULT_PORT;

    @Option(names = "--metrics-port", paramLabel = "N", description = "Loopback HTTP port of /metrics (Prometheus "
            + "text), 0 for any free one, -1 for none (default ${DEFAULT-VALUE}).")
    int metricsPort = DEFAULT_METRICS_PORT;

    @Option(names = "--users", paramLabel = "FILE", description = "Users file (YAML): users: { name: { password_hash "
            + "| password: '${env:NAME}', permissions: [read, run] } }.")
    Path users;

    @Option(names = "--token", paramLabel = "${env:NAME}", description = "A bearer token callers may present, from "
            + "the environment (quote it: '${env:NAME}').")
    String token;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain for TLS.")
    Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (PKCS#8) for TLS.")
    Path tlsKey;

    @Option(names = "--hash-password", description = "Print the password_hash of a password read from standard input "
            + "(one line), for the users file, and exit.")
    boolean hashPassword;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (hashPassword) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String password = in.readLine();
            if (password == null || password.isEmpty()) {
                throw new dev.sluice.SluiceException(dev.sluice.ErrorCode.USAGE, "Cannot hash a password: standard "
                        + "input is empty; pipe the password in (printf %%s \"$PASSWORD\" | sluice serve "
                        + "--hash-password)");
            }
            out.println(SluiceServer.hashPassword(password));
            return 0;
        }
        if (dir == null) {
            throw new dev.sluice.SluiceException(dev.sluice.ErrorCode.USAGE, "Cannot serve: no pipeline folder given; "
                    + "run sluice serve DIR");
        }
        ServeOptions options = ServeOptions.loopback().withAddress(host, port).withUsers(users)
                .withToken(token == null ? null : ServeOptions.fromEnvironment(token, "--token"))
                .withTls(tlsCertificate, tlsKey).withMetricsPort(metricsPort);
        PrintWriter err = spec.commandLine().getErr();
        SluiceServer server = SluiceServer.start(dir, options, Main::run, notice -> {
            err.println(notice);
            err.flush();
        });
        // SIGTERM and Ctrl-C: the server finishes or abandons its run, then releases the warehouse.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sluice-serve-shutdown"));
        out.println("Serving " + server.project() + " over Arrow Flight SQL at " + server.address() + " ("
                + (tlsCertificate == null ? "grpc" : "grpc+tls") + "://" + server.address() + ", JDBC "
                + "jdbc:arrow-flight-sql://" + server.address() + ")" + server.metricsAddress().map(metrics -> ", "
                + "metrics at http://" + metrics.getHostString() + ":" + metrics.getPort() + "/metrics").orElse("")
                + "; stop with Ctrl-C or SIGTERM");
        out.flush();
        server.awaitTermination();
        return 0;
    }
}
