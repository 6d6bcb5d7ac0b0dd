package dev.kafkacoins.local.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.Ports;
import dev.kafkacoins.local.StackLayout;
import dev.kafkacoins.local.observe.Prometheus.Target;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PrometheusTest {

    /** The repository root: the tests run in local-stack/. */
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final Ports PORTS = new Ports(28000, 28092, 28432, 28080);

    @Test
    void theConfigScrapesTheServicesFromTheFileAndTheBrokerWithCredentials() {
        Map<String, Object> config = new Yaml().load(Prometheus.config(PORTS, Path.of("/d/run/prometheus/alert-rules.yml"),
                Path.of("/d/run/prometheus/targets.json"), Path.of("/d/secrets/prometheus.password")));

        assertThat(config.get("global")).isEqualTo(Map.of("scrape_interval", "15s", "evaluation_interval", "15s"));
        assertThat(config.get("rule_files")).isEqualTo(List.of("/d/run/prometheus/alert-rules.yml"));
        List<Map<String, Object>> jobs = list(config.get("scrape_configs"));
        assertThat(jobs).extracting(job -> job.get("job_name")).containsExactly("kafkacoins", "kafka");

        Map<String, Object> services = jobs.get(0);
        assertThat(services.get("metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(services.get("file_sd_configs")).isEqualTo(List.of(Map.of(
                "files", List.of("/d/run/prometheus/targets.json"), "refresh_interval", "30s")));
        assertThat(services).doesNotContainKey("basic_auth");

        Map<String, Object> kafka = jobs.get(1);
        assertThat(kafka.get("basic_auth")).isEqualTo(Map.of("username", "miner",
                "password_file", "/d/secrets/prometheus.password"));
        assertThat(kafka).containsEntry("scrape_interval", "30s").containsEntry("scrape_timeout", "25s");
        assertThat(kafka.get("static_configs")).isEqualTo(List.of(Map.of("targets", List.of("127.0.0.1:28094"),
                "labels", Map.of("service", "kafka", "instance", "kafka"))));
    }

    @Test
    void theTargetsFileIsFileSdJsonWithOneEntryPerTarget() {
        JsonNode file = JsonMapper.builder().build().readTree(Prometheus.targets(List.of(
                new Target("127.0.0.1:28081", Map.of("service", "rng", "instance", "rng")),
                new Target("127.0.0.1:28102", Map.of("service", "hasher", "instance", "hasher-2")))));

        assertThat(file.size()).isEqualTo(2);
        assertThat(file.get(1).path("targets").get(0).asString()).isEqualTo("127.0.0.1:28102");
        assertThat(file.get(1).path("targets").size()).isEqualTo(1);
        assertThat(file.get(1).path("labels").path("service").asString()).isEqualTo("hasher");
        assertThat(file.get(1).path("labels").path("instance").asString()).isEqualTo("hasher-2");
        assertThat(Prometheus.targets(List.of()).strip()).isEqualTo("[ ]");
    }

    @Test
    void theWebConfigHoldsABcryptHashOfThePasswordForTheUserMiner() {
        String hash = new BCryptPasswordEncoder().encode("s3cret");
        Map<String, Map<String, String>> web = new Yaml().load(Prometheus.webConfig(hash));

        assertThat(web).containsOnlyKeys("basic_auth_users");
        assertThat(web.get("basic_auth_users")).containsOnlyKeys("miner");
        assertThat(web.get("basic_auth_users").get("miner")).startsWith("$2a$10$");
        assertThat(new BCryptPasswordEncoder().matches("s3cret", web.get("basic_auth_users").get("miner"))).isTrue();
    }

    @Test
    void theRulesFileIsTheSpecOfTheProjectsPrometheusRule() throws IOException {
        Object manifest = new Yaml().load(Files.readString(HOME.resolve(Prometheus.ALERT_RULES)));
        Map<String, Object> rules = new Yaml().load(Prometheus.rules(manifest));

        List<Map<String, Object>> groups = list(rules.get("groups"));
        assertThat(groups).extracting(group -> group.get("name")).containsExactly("kafkacoins");
        assertThat(list(groups.getFirst().get("rules"))).extracting(rule -> rule.get("alert"))
                .contains("ServiceDown", "KafkaNodeDown", "UnderReplicatedPartitions", "NoHashesCommitted");
        assertThat(rules).isEqualTo(((Map<?, ?>) manifest).get("spec"));

        assertThatThrownBy(() -> Prometheus.rules(Map.of("kind", "ConfigMap"))).isInstanceOf(MinerException.class)
                .hasMessageContaining("is not a PrometheusRule");
    }

    @Test
    void theBrokersAgentGetsStrimzisRulesBehindTheSaltedHashOfThePassword() throws Exception {
        Map<String, Object> configMap = new Yaml().load(Files.readString(HOME.resolve(Prometheus.KAFKA_METRICS)));
        Map<String, Object> strimzi = new Yaml().load((String) ((Map<?, ?>) configMap.get("data"))
                .get(Prometheus.KAFKA_METRICS_KEY));

        Map<String, Object> agent = new Yaml().load(Prometheus.kafkaMetricsConfig(configMap, "s3cret", "5a17"));

        assertThat(agent.get("rules")).isEqualTo(strimzi.get("rules"));
        assertThat(agent.get("lowercaseOutputName")).isEqualTo(true);
        assertThat(agent.get("excludeObjectNames")).isEqualTo(List.of("kafka.network:type=RequestMetrics,*"));
        String expected = new BigInteger(1, MessageDigest.getInstance("SHA-256")
                .digest("5a17:s3cret".getBytes(StandardCharsets.UTF_8))).toString(16);
        assertThat(agent.get("httpServer")).isEqualTo(Map.of("authentication", Map.of("basic", Map.of(
                "username", "miner", "passwordHash", expected, "algorithm", "SHA-256", "salt", "5a17"))));
        assertThat(Prometheus.kafkaMetricsConfig(configMap, "s3cret", "5a17")).doesNotContain("s3cret");
    }

    @Test
    void theAgentsHashDropsLeadingZerosAsTheAgentPrintsIt() throws Exception {
        // A salt whose hash starts with a zero nibble: found by trying, one in sixteen does.
        String salt = null;
        for (int i = 0; salt == null; i++) {
            byte[] raw = MessageDigest.getInstance("SHA-256").digest((i + ":pw").getBytes(StandardCharsets.UTF_8));
            if ((raw[0] & 0xf0) == 0) {
                salt = Integer.toString(i);
            }
        }
        assertThat(Prometheus.sha256Hash(salt, "pw")).hasSizeLessThan(64).doesNotStartWith("0");
    }

    @Test
    void theCommandKeepsEverythingInTheDataDirectoryAndOn127001() {
        StackLayout layout = new StackLayout(Path.of("/repo"), Path.of("/repo/data"));
        Prometheus prometheus = new Prometheus(layout, PORTS);

        assertThat(prometheus.command(Path.of("/usr/bin/prometheus"))).contains(
                "--config.file=/repo/data/run/prometheus/prometheus.yml",
                "--web.config.file=/repo/data/run/prometheus/web.yml",
                "--web.listen-address=127.0.0.1:28091",
                "--storage.tsdb.path=/repo/data/prometheus",
                "--storage.tsdb.retention.time=6h");
        assertThat(prometheus.brokerAgent()).isEqualTo("-javaagent:/repo/local-stack/target/agents/"
                + "jmx_prometheus_javaagent.jar=127.0.0.1:28094:/repo/data/run/prometheus/kafka-metrics.yml");
        assertThat(prometheus.url()).isEqualTo("http://127.0.0.1:28091/");
    }

    @Test
    void withoutPrometheusOnThePathObserveFailsInOneLineNamingTheFlagAndTheInstall(@TempDir Path dir)
            throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path binary = Files.createFile(bin.resolve("prometheus"));
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> Prometheus.requireBinary(empty.toString())).isInstanceOf(MinerException.class)
                .hasMessage("--observe needs Prometheus and there is no prometheus on the PATH: install it with "
                        + "sudo apt-get install prometheus (or leave out --observe)");
        assertThat(Prometheus.binary(empty + ":" + bin)).contains(binary);
        assertThat(Prometheus.binary(null)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
