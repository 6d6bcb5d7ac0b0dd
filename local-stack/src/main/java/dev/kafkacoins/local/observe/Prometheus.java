package dev.kafkacoins.local.observe;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.Ports;
import dev.kafkacoins.local.Secrets;
import dev.kafkacoins.local.StackLayout;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./miner up --observe}: Debian's Prometheus as a process of the stack, scraping every Spring service and the
 * broker with the project's alert rules, as the Prometheus Operator's does on Kubernetes. The files it reads live in
 * {@code data/run/prometheus}, written at every start; its time series in {@code data/prometheus}.
 * <p>
 * It is closed to other local users as the rest of the stack is: its web endpoints, the API included, want basic
 * auth as {@value #USER} with the password {@value #SECRET} of the stack's secrets, and so does the broker's metrics
 * endpoint, which Prometheus scrapes with the same credentials.
 */
public final class Prometheus {

    public static final String USER = "miner";
    /** The password's name in {@code data/secrets/passwords.properties}. */
    public static final String SECRET = "prometheus." + USER;
    public static final String INSTALL = "sudo apt-get install prometheus";

    /**
     * The services' PodMonitor scrapes every 15 s, and the alert rules' windows assume it (a [1m] range holds four
     * samples): locally the same interval keeps the rules meaning what they mean on Kubernetes. Rules are evaluated
     * as often as samples arrive; more often would only re-read the same samples.
     */
    static final String SCRAPE_INTERVAL = "15s";
    static final String KAFKA_SCRAPE_INTERVAL = "30s";
    static final String KAFKA_SCRAPE_TIMEOUT = "25s";
    /** Long enough for a lab afternoon, short enough that a stack left running does not fill a small disk. */
    static final String RETENTION = "6h";
    /** The file_sd job of the Spring services; the broker's job is {@value #KAFKA_JOB}. */
    static final String SERVICES_JOB = "kafkacoins";
    static final String KAFKA_JOB = "kafka";
    /** Every Spring service serves its meters here, on its own port (docs/configuration.md). */
    static final String METRICS_PATH = "/actuator/prometheus";

    /** Strimzi's metrics rules of its Kafka nodes, relative to the repository root, and the ConfigMap's key. */
    static final String KAFKA_METRICS = "strimzi/base/kafka-metrics.yaml";
    static final String KAFKA_METRICS_KEY = "kafka-metrics-config.yml";
    /** The project's alert rules as a PrometheusRule (its spec is a rules file), relative to the repository root. */
    static final String ALERT_RULES = "k8s/components/monitoring/alert-rules.yaml";
    /** MBeans the local broker's agent does not export (see {@link #kafkaMetricsConfig}). */
    static final List<String> LOCAL_EXCLUDED_MBEANS = List.of("kafka.network:type=RequestMetrics,*");
    /** The JMX exporter agent, where local-stack's build copies it. */
    static final String AGENT = "local-stack/target/agents/jmx_prometheus_javaagent.jar";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StackLayout layout;
    private final Ports ports;

    public Prometheus(StackLayout layout, Ports ports) {
        this.layout = layout;
        this.ports = ports;
    }

    /** One scrape target of the file_sd file: a service's address and the labels the alert rules select on. */
    public record Target(String address, Map<String, String> labels) {

        public Target {
            labels = Map.copyOf(labels);
        }
    }

    /** Debian's {@code prometheus} on the PATH, if there is one. */
    public static Optional<Path> binary() {
        return binary(System.getenv("PATH"));
    }

    /** {@code prometheus} in one of the directories of {@code path} (a PATH's value), if one has it. */
    static Optional<Path> binary(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "prometheus");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Fails in one line, before the stack starts anything, when {@code --observe} cannot start Prometheus. */
    public static Path requireBinary() {
        return requireBinary(System.getenv("PATH"));
    }

    static Path requireBinary(String path) {
        return binary(path).orElseThrow(() -> new MinerException("--observe needs Prometheus and there is no "
                + "prometheus on the PATH: install it with " + INSTALL + " (or leave out --observe)"));
    }

    public Path dir() {
        return layout.run().resolve("prometheus");
    }

    public Path configFile() {
        return dir().resolve("prometheus.yml");
    }

    public Path webConfigFile() {
        return dir().resolve("web.yml");
    }

    public Path rulesFile() {
        return dir().resolve("alert-rules.yml");
    }

    /** The file_sd file the supervisor rewrites whenever its processes change; Prometheus watches it. */
    public Path targetsFile() {
        return dir().resolve("targets.json");
    }

    public Path kafkaMetricsConfigFile() {
        return dir().resolve("kafka-metrics.yml");
    }

    /** The password alone, as Prometheus's {@code password_file} wants it for scraping the broker. */
    public Path passwordFile() {
        return layout.secrets().resolve("prometheus.password");
    }

    public Path storage() {
        return storage(layout);
    }

    /** Where a stack's Prometheus keeps its time series; its command line names it, which is how Leftovers finds it. */
    public static Path storage(StackLayout layout) {
        return layout.data().resolve("prometheus");
    }

    public Path agentJar() {
        return layout.home().resolve(AGENT);
    }

    public String url() {
        return "http://" + Ports.HOST + ":" + ports.prometheus() + "/";
    }

    /**
     * Writes every file Prometheus and the broker's agent read, and an empty target list (the supervisor fills it
     * as it starts the services). Fails before anything starts when a file it reads from the repository is missing.
     */
    public void prepare(Secrets secrets) {
        if (!Files.isRegularFile(agentJar())) {
            throw new MinerException("--observe: no " + AGENT + "; build it with ./mvnw -pl local-stack -DskipTests "
                    + "package");
        }
        String password = secrets.password(SECRET);
        try {
            Files.createDirectories(dir());
        } catch (IOException e) {
            throw new MinerException("cannot create " + dir() + ": " + e.getMessage(), e);
        }
        Secrets.writeFile(passwordFile(), password);
        Secrets.writeFile(webConfigFile(), webConfig(new BCryptPasswordEncoder().encode(password)));
        Secrets.writeFile(kafkaMetricsConfigFile(), kafkaMetricsConfig(
                readYaml(layout.home().resolve(KAFKA_METRICS)), password, salt()));
        writeAtomically(rulesFile(), rules(readYaml(layout.home().resolve(ALERT_RULES))));
        writeAtomically(configFile(), config(ports, rulesFile(), targetsFile(), passwordFile()));
        writeTargets(List.of());
    }

    /** The command line of Prometheus, its storage and its files all in the stack's data directory. */
    public List<String> command(Path binary) {
        return List.of(binary.toString(),
                "--config.file=" + configFile(),
                "--web.config.file=" + webConfigFile(),
                "--web.listen-address=" + Ports.HOST + ":" + ports.prometheus(),
                "--storage.tsdb.path=" + storage(),
                "--storage.tsdb.retention.time=" + RETENTION,
                "--log.level=warn");
    }

    /** The JVM option that loads the JMX exporter into the broker, serving its metrics on 127.0.0.1 only. */
    public String brokerAgent() {
        return "-javaagent:" + agentJar() + "=" + Ports.HOST + ":" + ports.kafkaMetrics() + ":"
                + kafkaMetricsConfigFile();
    }

    /** The value of an {@code Authorization} header that Prometheus and the broker's agent accept. */
    public static String authorization(Secrets secrets) {
        return secrets.basicAuthorization(USER, SECRET);
    }

    /** Replaces the file_sd file in one move: Prometheus may read it at any moment and must not see half of it. */
    public synchronized void writeTargets(List<Target> targets) {
        writeAtomically(targetsFile(), targets(targets));
    }

    /** prometheus.yml: the services from the file_sd file, the broker on its own, the project's alert rules. */
    static String config(Ports ports, Path rulesFile, Path targetsFile, Path passwordFile) {
        Map<String, Object> global = new LinkedHashMap<>();
        global.put("scrape_interval", SCRAPE_INTERVAL);
        global.put("evaluation_interval", SCRAPE_INTERVAL);

        Map<String, Object> services = new LinkedHashMap<>();
        services.put("job_name", SERVICES_JOB);
        services.put("metrics_path", METRICS_PATH);
        // Prometheus also notices the file's changes by itself (inotify); the refresh covers a missed event.
        services.put("file_sd_configs", List.of(Map.of("files", List.of(targetsFile.toString()),
                "refresh_interval", "30s")));

        Map<String, Object> kafka = new LinkedHashMap<>();
        kafka.put("job_name", KAFKA_JOB);
        kafka.put("basic_auth", Map.of("username", USER, "password_file", passwordFile.toString()));
        // The agent walks every MBean through Strimzi's rules at each scrape (some 8,000 series): on a 2-core
        // machine whose hashers take every cycle that is 4-10 s, past the default 10 s timeout at times. The
        // broker's rules wait minutes (KafkaNodeDown 3, UnderReplicatedPartitions 5), so half the rate costs
        // them nothing.
        kafka.put("scrape_interval", KAFKA_SCRAPE_INTERVAL);
        kafka.put("scrape_timeout", KAFKA_SCRAPE_TIMEOUT);
        // The broker runs for the stack's whole life, so its target never changes; the same labels as the
        // services' so that up{service="kafka"} (KafkaNodeDown) selects it.
        kafka.put("static_configs", List.of(Map.of("targets", List.of(Ports.HOST + ":" + ports.kafkaMetrics()),
                "labels", Map.of("service", "kafka", "instance", "kafka"))));

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("global", global);
        config.put("rule_files", List.of(rulesFile.toString()));
        config.put("scrape_configs", List.of(services, kafka));
        return "# Written by ./miner up --observe at every start; edit local-stack's Prometheus class, not this file.\n"
                + yaml().dump(config);
    }

    /** web.yml: every endpoint wants basic auth as {@value #USER}; Prometheus takes only bcrypt hashes here. */
    static String webConfig(String bcryptHash) {
        return yaml().dump(Map.of("basic_auth_users", Map.of(USER, bcryptHash)));
    }

    /** The file_sd file: one entry per target. */
    static String targets(List<Target> targets) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Target target : targets) {
            entries.add(Map.of("targets", List.of(target.address()), "labels", new java.util.TreeMap<>(target.labels())));
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(entries) + "\n";
    }

    /** The alert rules file: the {@code spec} of the single PrometheusRule in {@code manifest}. */
    static String rules(Object manifest) {
        if (!(manifest instanceof Map<?, ?> rule) || !"PrometheusRule".equals(rule.get("kind"))
                || !(rule.get("spec") instanceof Map<?, ?> spec) || !(spec.get("groups") instanceof List<?>)) {
            throw new MinerException(ALERT_RULES + " is not a PrometheusRule with spec.groups");
        }
        return "# Written by ./miner up --observe from " + ALERT_RULES + " (its spec); edit that file, not this one.\n"
                + yaml().dump(spec);
    }

    /**
     * The broker agent's configuration: Strimzi's rules from the ConfigMap (so the names are those of the Strimzi
     * cluster's nodes, e.g. kafka_server_replicamanager_underreplicatedpartitions), behind basic auth. The agent
     * (1.0.1) takes a salted hash, so the password itself is not in the file.
     * <p>
     * Locally the agent leaves out the broker's per-request-type timings ({@link #LOCAL_EXCLUDED_MBEANS}): they are
     * 5,300 of its 7,360 series, and walking them made a scrape cost the broker 0.63 s of CPU instead of 0.21 s,
     * measured on the 2-core machine the stack is sized for. No rule or dashboard of the project reads them; on a
     * cluster, where Strimzi's own dashboards plot request latency, the ConfigMap keeps them.
     */
    static String kafkaMetricsConfig(Object configMap, String password, String salt) {
        if (!(configMap instanceof Map<?, ?> map) || !(map.get("data") instanceof Map<?, ?> data)
                || !(data.get(KAFKA_METRICS_KEY) instanceof String rules)) {
            throw new MinerException(KAFKA_METRICS + " is not a ConfigMap with the key " + KAFKA_METRICS_KEY);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) yaml().load(rules));
        Map<String, Object> basic = new LinkedHashMap<>();
        basic.put("username", USER);
        basic.put("passwordHash", sha256Hash(salt, password));
        basic.put("algorithm", "SHA-256");
        basic.put("salt", salt);
        config.put("excludeObjectNames", LOCAL_EXCLUDED_MBEANS);
        config.put("httpServer", Map.of("authentication", Map.of("basic", basic)));
        return "# Written by ./miner up --observe from " + KAFKA_METRICS + " (" + KAFKA_METRICS_KEY + ").\n"
                + yaml().dump(config);
    }

    /**
     * The hash the agent compares with: SHA-256 of "salt:password", printed as the agent prints it, a BigInteger in
     * base 16, which drops leading zeros (hex of the raw bytes would not match one hash in sixteen).
     */
    static String sha256Hash(String salt, String password) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((salt + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, hash).toString(16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String salt() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Object readYaml(Path file) {
        try (Reader in = Files.newBufferedReader(file)) {
            return new Yaml(new LoaderOptions()).load(in);
        } catch (IOException e) {
            throw new MinerException("--observe: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        return new Yaml(options);
    }

    private static void writeAtomically(Path file, String content) {
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, content);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
