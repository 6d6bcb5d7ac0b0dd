package dev.kafkacoins.local.stack;

import dev.kafkacoins.kit.ParentWatch;
import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.Ports;
import dev.kafkacoins.local.Secrets;
import dev.kafkacoins.local.StackLayout;
import dev.kafkacoins.local.StackOptions;
import dev.kafkacoins.local.observe.Prometheus;
import dev.kafkacoins.local.observe.Zipkin;
import dev.kafkacoins.local.stack.ServiceSpec.Readiness;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command line of every process in the stack. Services run from the same runnable jars a user would run by
 * hand (docs/configuration.md, "Running a service on its own"), configured only through their documented properties.
 */
public final class Catalog {

    public static final String KAFKA = "kafka";
    public static final String POSTGRES = "postgres";
    static final String MIGRATIONS = "db-migrations";
    public static final String RNG = "rng";
    public static final String HASHER_PREFIX = "hasher-";
    public static final String AGGREGATOR = "aggregator";
    public static final String SINK = "sink";
    public static final String WEBUI = "webui";
    public static final String PROMETHEUS = "prometheus";
    public static final String ZIPKIN = "zipkin";

    static final String DATABASE = "kafkacoins";

    /** The modules whose runnable jars the stack runs. */
    public static final List<String> MODULES = List.of("db-migrations", "services/rng", "services/hasher",
            "streams-aggregator/topology", "streams-aggregator/sink", "webui");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final StackLayout layout;
    private final StackOptions options;
    private final String java;
    private final long supervisorPid;
    private final AppCache appCache;
    private final Secrets secrets;
    /** Null unless the stack runs with {@code --observe}. */
    private final Prometheus prometheus;
    /** Null unless the stack runs with {@code --observe}. */
    private final Zipkin zipkin;

    public Catalog(StackLayout layout, StackOptions options) {
        this.layout = layout;
        this.options = options;
        this.java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new MinerException("cannot tell which java runs ./miner"));
        this.supervisorPid = ProcessHandle.current().pid();
        this.appCache = new AppCache(layout, java);
        List<String> names = new ArrayList<>(KafkaUsers.secretNames());
        names.add(PostgresMain.secretName(PostgresMain.SUPERUSER));
        DatabaseRoles.ALL.forEach(role -> names.add(PostgresMain.secretName(role)));
        if (options.observe()) {
            names.add(Prometheus.SECRET);
            names.add(Zipkin.SECRET);
        }
        this.secrets = Secrets.ensure(Secrets.file(layout), names);
        this.prometheus = options.observe() ? new Prometheus(layout, options.ports()) : null;
        this.zipkin = options.observe() ? new Zipkin(layout, options.ports()) : null;
        Secrets.writeProperties(kafkaAdminProperties(layout), kafkaAdmin(), "the local broker's admin, for Kafka's "
                + "tools: --command-config (./miner kafka adds it)");
    }

    /** The admin's client settings as a file, for Kafka's own tools ({@code --command-config}). */
    public static Path kafkaAdminProperties(StackLayout layout) {
        return layout.secrets().resolve("kafka-admin.properties");
    }

    public Secrets secrets() {
        return secrets;
    }

    /** The stack's Prometheus, if it runs with {@code --observe}. */
    public Optional<Prometheus> prometheus() {
        return Optional.ofNullable(prometheus);
    }

    /** The stack's Zipkin, if it runs with {@code --observe}. */
    public Optional<Zipkin> zipkin() {
        return Optional.ofNullable(zipkin);
    }

    /** Settings for a Kafka client of the stack's own (probes, topics, chaos, bench, the CLI tools): the admin. */
    public Map<String, Object> kafkaAdmin() {
        Map<String, Object> config = new LinkedHashMap<>(KafkaUsers.client(KafkaUsers.ADMIN, secrets));
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    public StackLayout layout() {
        return layout;
    }

    public AppCache appCache() {
        return appCache;
    }

    public Ports ports() {
        return options.ports();
    }

    public String bootstrapServers() {
        return Ports.HOST + ":" + ports().kafka();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + Ports.HOST + ":" + ports().postgres() + "/" + DATABASE;
    }

    /** A connection to the stack's database, as the programs that check or measure it read it: read-only. */
    public Connection openDatabase() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), databaseLogin(DatabaseRoles.WEBUI));
    }

    /** A role's login properties for pgjdbc. */
    Properties databaseLogin(String role) {
        Properties props = new Properties();
        props.setProperty("user", role);
        props.setProperty("password", secrets.password(PostgresMain.secretName(role)));
        return props;
    }

    public String dashboardUrl() {
        return "http://" + Ports.HOST + ":" + ports().webui() + "/";
    }

    public ServiceSpec kafka() {
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-Dminer.log=INFO"));
        // Strimzi runs the same agent in its Kafka nodes: the same MBeans under the same names.
        prometheus().ifPresent(p -> jvm.add(p.brokerAgent()));
        return new ServiceSpec(KAFKA, launcherJvm(jvm, BrokerMain.class,
                layout.kafkaLog().toString(), layout.run().resolve("server.properties").toString(),
                Integer.toString(ports().kafka()), Integer.toString(ports().controller()),
                Secrets.file(layout).toString()),
                ports().kafka(), Readiness.KAFKA);
    }

    public ServiceSpec postgres() {
        // The first start on a machine unpacks PostgreSQL's .txz, whose xz dictionary alone takes 64 MiB of heap;
        // later starts find the binaries unpacked and use a few MiB of it.
        return new ServiceSpec(POSTGRES, launcherJvm(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"),
                PostgresMain.class, layout.postgresData().toString(), Integer.toString(ports().postgres()),
                DATABASE, Secrets.file(layout).toString(), layout.appCache().resolve("postgresql").toString()),
                ports().postgres(), Readiness.POSTGRES);
    }

    /** Prometheus (--observe): not a JVM, so it cannot watch the supervisor; Leftovers finds it by its storage. */
    public ServiceSpec prometheusServer() {
        Prometheus p = prometheus().orElseThrow(() -> new MinerException("Prometheus runs only with ./miner up "
                + "--observe"));
        return new ServiceSpec(PROMETHEUS, p.command(Prometheus.requireBinary()), ports().prometheus(),
                Readiness.PROMETHEUS, Map.of());
    }

    /** Zipkin (--observe): a JVM of the stack's (Leftovers finds it by the marker), running Zipkin's own jar. */
    public ServiceSpec zipkinServer() {
        Zipkin z = zipkin().orElseThrow(() -> new MinerException("Zipkin runs only with ./miner up --observe"));
        List<String> command = jvm("-Xmx192m", "-XX:TieredStopAtLevel=1");
        command.addAll(z.command());
        return new ServiceSpec(ZIPKIN, command, ports().zipkin(), Readiness.ZIPKIN,
                Map.of("SPRING_APPLICATION_JSON", JSON.writeValueAsString(z.loginSettings(secrets))));
    }

    public ServiceSpec migrations() {
        List<String> command = serviceJvm(MIGRATIONS, "-Xmx128m", "-XX:TieredStopAtLevel=1");
        command.addAll(List.of("-jar", appCache.unpacked("db-migrations").toString()));
        command.addAll(jdbc(DatabaseRoles.MIGRATIONS));
        return new ServiceSpec(MIGRATIONS, command, 0, Readiness.EXIT_ZERO,
                credentials(null, DatabaseRoles.MIGRATIONS, "spring.datasource.password"));
    }

    public ServiceSpec rng() {
        return rng(options.rate(), options.nonces(), List.of());
    }

    /**
     * rng with another pace or block size than the stack was started with (the benchmark's phases).
     *
     * @param rate  blocks per second, or {@code null} for auto
     * @param extra further rng properties, {@code --rng.max-lag=5000}
     */
    public ServiceSpec rng(Double rate, Integer nonces, List<String> extra) {
        return rng(rate, nonces, extra, Zipkin.TRACES_PER_SECOND);
    }

    /**
     * rng starting at most {@code tracesPerSecond} new traces a second under {@code --observe} (the blocks' traces
     * begin there), as the stack was started otherwise: the benchmark's tracing phase.
     */
    public ServiceSpec rngTracing(int tracesPerSecond) {
        return rng(options.rate(), options.nonces(), List.of(), tracesPerSecond);
    }

    private ServiceSpec rng(Double rate, Integer nonces, List<String> extra, int tracesPerSecond) {
        List<String> command = springService(RNG, "services/rng", "-Xmx128m", ports().rng(), tracesPerSecond);
        command.add("--rng.instance-id=local");
        if (rate == null) {
            command.add("--rng.mode=auto");
        } else {
            command.add("--rng.mode=rate");
            command.add("--rng.rate=" + String.format(Locale.ROOT, "%s", rate));
        }
        if (nonces != null) {
            command.add("--rng.nonces=" + nonces);
        }
        if (options.difficulty() != null) {
            command.add("--rng.difficulty=" + options.difficulty());
        }
        command.addAll(extra);
        return new ServiceSpec(RNG, command, ports().rng(), Readiness.ACTUATOR, credentials("rng", null, null));
    }

    /** A plain JVM on the launcher's classpath running a program of its own or of Kafka's (the benchmark's). */
    public List<String> program(String maxHeap, Class<?> main, String... args) {
        return launcherJvm(List.of(maxHeap), main, args);
    }

    /** hasher-{@code index}: one consumer thread, instance id h{@code index} (so transactional ids hasher-h2-t0). */
    public ServiceSpec hasher(int index) {
        return hasher(index, "h" + index);
    }

    /** hasher-{@code index} under another instance id, as a replacement pod on Kubernetes gets a new name. */
    public ServiceSpec hasher(int index, String instanceId) {
        List<String> command = springService(HASHER_PREFIX + index, "services/hasher", "-Xmx128m",
                ports().hasher(index));
        command.add("--hasher.instance-id=" + instanceId);
        command.add("--hasher.threads=1");
        return new ServiceSpec(HASHER_PREFIX + index, command, ports().hasher(index), Readiness.ACTUATOR,
                credentials("hasher", null, null));
    }

    public ServiceSpec aggregator() {
        List<String> command = springService(AGGREGATOR, "streams-aggregator/topology", "-Xmx256m", ports().aggregator());
        command.add("--spring.kafka.streams.state-dir=" + layout.aggregatorState());
        return new ServiceSpec(AGGREGATOR, command, ports().aggregator(), Readiness.ACTUATOR,
                credentials("aggregator", null, null));
    }

    public ServiceSpec sink() {
        List<String> command = springService(SINK, "streams-aggregator/sink", "-Xmx192m", ports().sink());
        command.addAll(jdbc(DatabaseRoles.SINK));
        return new ServiceSpec(SINK, command, ports().sink(), Readiness.ACTUATOR,
                credentials("sink", DatabaseRoles.SINK, "spring.datasource.password"));
    }

    public ServiceSpec webui() {
        List<String> command = springService(WEBUI, "webui", "-Xmx192m", ports().webui());
        command.add("--spring.r2dbc.url=r2dbc:postgresql://" + Ports.HOST + ":" + ports().postgres() + "/" + DATABASE);
        command.add("--spring.r2dbc.username=" + DatabaseRoles.WEBUI);
        Map<String, String> prometheusLogin = Map.of();
        if (prometheus != null) {
            // The page links to Prometheus and shows its alerts, read with the stack's Prometheus login.
            command.add("--webui.prometheus.url=" + prometheus.url());
            command.add("--webui.prometheus.username=" + Prometheus.USER);
            prometheusLogin = Map.of("webui.prometheus.password", secrets.password(Prometheus.SECRET));
        }
        if (zipkin != null) {
            // A traced coin links to its trace there.
            command.add("--webui.zipkin-url=" + zipkin.url());
        }
        return new ServiceSpec(WEBUI, command, ports().webui(), Readiness.ACTUATOR,
                credentials("webui", DatabaseRoles.WEBUI, "spring.r2dbc.password", prometheusLogin));
    }

    /** The spec for a name the user typed, for {@code restart}. */
    public ServiceSpec byName(String name) {
        return switch (name) {
            case KAFKA -> kafka();
            case POSTGRES -> postgres();
            case RNG -> rng();
            case AGGREGATOR -> aggregator();
            case SINK -> sink();
            case WEBUI -> webui();
            case PROMETHEUS -> prometheusServer();
            case ZIPKIN -> zipkinServer();
            default -> {
                if (name.startsWith(HASHER_PREFIX)) {
                    try {
                        int index = Integer.parseInt(name.substring(HASHER_PREFIX.length()));
                        if (index >= 1 && index <= Ports.MAX_HASHERS) {
                            yield hasher(index);
                        }
                    } catch (NumberFormatException e) {
                        // falls through to the error below
                    }
                }
                throw new MinerException("no service named '" + name + "': kafka, postgres, rng, hasher-N (1-"
                        + Ports.MAX_HASHERS + "), aggregator, sink, webui, prometheus and zipkin (with --observe)");
            }
        };
    }

    private List<String> springService(String name, String module, String heap, int port) {
        return springService(name, module, heap, port, Zipkin.TRACES_PER_SECOND);
    }

    private List<String> springService(String name, String module, String heap, int port, int tracesPerSecond) {
        List<String> command = serviceJvm(name, heap);
        command.addAll(List.of("-jar", appCache.unpacked(module).toString()));
        command.addAll(kafkaArgs(port));
        if (zipkin != null) {
            command.addAll(zipkin.reporterArguments(tracesPerSecond));
        }
        return command;
    }

    private List<String> kafkaArgs(int port) {
        return List.of("--spring.kafka.bootstrap-servers=" + bootstrapServers(), "--server.port=" + port,
                // The stack creates the topics itself (StackTopics), with --partitions; as Strimzi would.
                "--spring.kafka.admin.auto-create=false");
    }

    private List<String> jdbc(String role) {
        return List.of("--spring.datasource.url=" + jdbcUrl(), "--spring.datasource.username=" + role);
    }

    /**
     * A service's passwords, as Spring Boot reads them from {@code SPRING_APPLICATION_JSON}: its Kafka user's
     * SASL settings (spring.kafka.properties apply to every client it makes) and its database role's password.
     *
     * @param kafkaUser        null for none
     * @param role             null for none
     * @param passwordProperty where the role's password goes
     */
    private Map<String, String> credentials(String kafkaUser, String role, String passwordProperty) {
        return credentials(kafkaUser, role, passwordProperty, Map.of());
    }

    /** As above, with further secret properties. */
    private Map<String, String> credentials(String kafkaUser, String role, String passwordProperty,
                                            Map<String, String> further) {
        Map<String, String> properties = new LinkedHashMap<>(further);
        if (zipkin != null && kafkaUser != null) {
            // Every Spring service (each has a Kafka user) reports its spans with the stack's Zipkin login.
            properties.putAll(zipkin.reporterSecret(secrets));
        }
        if (kafkaUser != null) {
            KafkaUsers.client(kafkaUser, secrets).forEach((key, value) -> properties.put(
                    key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) ? "spring.kafka.security.protocol"
                            : "spring.kafka.properties." + key, value));
        }
        if (role != null) {
            properties.put(passwordProperty, secrets.password(PostgresMain.secretName(role)));
        }
        return Map.of("SPRING_APPLICATION_JSON", JSON.writeValueAsString(properties));
    }

    /** A JVM that ends with the supervisor and carries a marker naming this stack's data directory. */
    private List<String> jvm(String... options) {
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC",
                "-D" + ParentWatch.PROPERTY + "=" + supervisorPid, "-Dminer.stack=" + layout.data()));
        command.addAll(List.of(options));
        return command;
    }

    /** A Spring service's JVM, with its class-data-sharing archive. */
    private List<String> serviceJvm(String name, String... options) {
        List<String> command = jvm(options);
        command.addAll(appCache.sharingOptions(name));
        return command;
    }

    /** A JVM on the launcher's own classpath (the broker and PostgreSQL wrappers). */
    private List<String> launcherJvm(List<String> options, Class<?> main, String... args) {
        List<String> command = jvm(options.toArray(String[]::new));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
