package dev.kafkacoins.local.observe;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.Ports;
import dev.kafkacoins.local.Secrets;
import dev.kafkacoins.local.StackLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code ./miner up --observe}: Zipkin's server, from its executable jar on Maven Central, as the stack's trace
 * backend. It keeps its spans in memory (a restart forgets them) and serves on 127.0.0.1 only. Zipkin has no login
 * of its own; the stack loads its module {@code zipkin-login} into it, so that every request (UI, query API, span
 * collector) wants the login {@value #USER} with the password {@value #SECRET} of the stack's secrets, which the
 * services' span reporters send too.
 */
public final class Zipkin {

    public static final String USER = "miner";
    /** The password's name in {@code data/secrets/passwords.properties}. */
    public static final String SECRET = "zipkin." + USER;
    /**
     * New traces a second, at most, in each service: every block at a classroom pace ({@code --rate 4}), one in
     * fifteen at the default pace on two cores (about 150 blocks/s), and never more than some 70 spans a second
     * whatever the pace (one-nonce blocks run at 50,000 a second).
     */
    public static final int TRACES_PER_SECOND = 10;
    /** Where local-stack's build copies the server and the login module. */
    static final String SERVER = "local-stack/target/zipkin/zipkin-server.jar";
    static final String LOGIN = "local-stack/target/zipkin/zipkin-login.jar";
    /** About 40 minutes of traces at the default pace and sampling, in well under the server's heap. */
    static final int MAX_SPANS = 200_000;

    private final StackLayout layout;
    private final Ports ports;

    public Zipkin(StackLayout layout, Ports ports) {
        this.layout = layout;
        this.ports = ports;
    }

    public String url() {
        return "http://" + Ports.HOST + ":" + ports.zipkin() + "/";
    }

    /** Fails before anything starts when the build did not copy the server or its login module. */
    public void requireJars() {
        for (String jar : List.of(SERVER, LOGIN)) {
            if (!Files.isRegularFile(layout.home().resolve(jar))) {
                throw new MinerException("--observe: no " + jar + "; build it with ./mvnw -pl local-stack -am "
                        + "-DskipTests package");
            }
        }
    }

    /**
     * What follows {@code java} and its JVM options: Spring Boot's PropertiesLauncher, which loads the login module
     * from {@code loader.path}, and the server's settings.
     */
    public List<String> command() {
        return List.of("-Dloader.path=" + path(LOGIN), "-cp", path(SERVER).toString(),
                "org.springframework.boot.loader.launch.PropertiesLauncher",
                // Armeria serves Zipkin; server.address would not bind it to loopback.
                "--armeria.ports[0].ip=" + Ports.HOST, "--armeria.ports[0].port=" + ports.zipkin(),
                "--armeria.ports[0].protocols[0]=http",
                "--zipkin.storage.type=mem", "--zipkin.storage.mem.max-spans=" + MAX_SPANS,
                // Spans come over HTTP only: no gRPC endpoint, and no broker or queue collectors looking for servers.
                "--zipkin.collector.grpc.enabled=false", "--zipkin.collector.kafka.enabled=false",
                "--zipkin.collector.rabbitmq.enabled=false", "--zipkin.collector.activemq.enabled=false",
                "--zipkin.collector.pulsar.enabled=false",
                "--zipkin.internal.module.kafkacoins-login=dev.kafkacoins.zipkin.ZipkinLogin");
    }

    /** The server's login, through its environment: only its owner can read that. */
    public Map<String, String> loginSettings(Secrets secrets) {
        return Map.of("kafkacoins.zipkin.username", USER, "kafkacoins.zipkin.password", secrets.password(SECRET));
    }

    /** A Spring service's settings to trace and report its spans here (its password: {@link #reporterSecret}). */
    public List<String> reporterArguments(int tracesPerSecond) {
        return List.of("--management.tracing.enabled=true",
                "--kafkacoins.tracing.traces-per-second=" + tracesPerSecond,
                "--management.tracing.export.zipkin.endpoint=" + url() + "api/v2/spans",
                "--kafkacoins.tracing.zipkin.username=" + USER);
    }

    public Map<String, String> reporterSecret(Secrets secrets) {
        return Map.of("kafkacoins.tracing.zipkin.password", secrets.password(SECRET));
    }

    public static String authorization(Secrets secrets) {
        return secrets.basicAuthorization(USER, SECRET);
    }

    private Path path(String jar) {
        return layout.home().resolve(jar);
    }
}
