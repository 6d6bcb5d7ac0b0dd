package dev.kafkacoins.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkacoins.aggregator.AggregatorApplication;
import dev.kafkacoins.db.MigrationsApplication;
import dev.kafkacoins.deploy.Manifests;
import dev.kafkacoins.deploy.StrimziChecks;
import dev.kafkacoins.hasher.HasherApplication;
import dev.kafkacoins.kit.GroupLag;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.ServiceGrants;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.rng.RngApplication;
import dev.kafkacoins.sink.SinkApplication;
import dev.kafkacoins.testsupport.RealPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The KafkaUsers of strimzi/base, enforced by a real broker: their SCRAM users and exactly their ACLs, as the User
 * Operator would create them (by {@link ServiceGrants#aclBindings}, the translation the local stack's broker gets its
 * ACLs from too), on a broker with Kafka's StandardAuthorizer and no access for anyone else. The
 * services then run as those users; if any grant were missing, the pipeline would not reach PostgreSQL. The
 * ServiceGrants check proves "no more" statically; this proves "enough" by behaviour, and that the broker does
 * enforce (the read-only users cannot write, a user cannot use a group it has no grant on).
 */
@Timeout(300)
class AclEnforcementIT {

    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path USERS = ROOT.resolve("strimzi/base/users.yaml");
    private static final Path KEDA_USER = ROOT.resolve("k8s/components/keda/keda-user.yaml");

    private static SecuredBroker broker;
    private static final Map<String, String> PASSWORDS = new HashMap<>();

    @BeforeAll
    static void brokerWithTheManifestsUsersAndAcls() throws Exception {
        Path data = Files.createTempDirectory("secured-broker");
        broker = SecuredBroker.start(data.resolve("data"));
        try (Admin admin = Admin.create(broker.superUser())) {
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() ->
                    assertThat(admin.describeCluster().nodes().get()).as(broker.logTail()).hasSize(1));
            admin.createTopics(Topics.ALL.stream().map(t -> t.newTopic(t.partitions(), (short) 1)).toList())
                    .all().get();
            List<JsonNode> users = Stream.concat(Manifests.read(USERS).stream(), Manifests.read(KEDA_USER).stream())
                    .filter(d -> d.path("kind").asText().equals("KafkaUser")).toList();
            List<UserScramCredentialUpsertion> credentials = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (JsonNode user : users) {
                String name = user.at("/metadata/name").asText();
                String password = UUID.randomUUID().toString();
                PASSWORDS.put(name, password);
                credentials.add(new UserScramCredentialUpsertion(name,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password));
                acls.addAll(ServiceGrants.aclBindings(name, StrimziChecks.grants(user)));
            }
            admin.alterUserScramCredentials(List.copyOf(credentials)).all().get();
            admin.createAcls(acls).all().get();
            assertThat(PASSWORDS).containsKeys("rng", "hasher", "aggregator", "sink", "webui", "cli", "keda");
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyServiceRunningAsItsOwnUserGetsTheWholePipelineToPostgres() throws Exception {
        List<ConfigurableApplicationContext> running = new ArrayList<>();
        try {
            try (ConfigurableApplicationContext migrations = MigrationsApplication.application()
                    .run(POSTGRES.springArgs())) {
                assertThat(migrations.isActive()).isTrue();
            }
            Path state = Files.createTempDirectory("aggregator-state");
            running.add(HasherApplication.application().run(as("hasher", NO_DATABASE, "--hasher.threads=2",
                    "--hasher.instance-id=acl")));
            running.add(AggregatorApplication.application().run(as("aggregator", NO_DATABASE,
                    "--spring.kafka.streams.state-dir=" + state)));
            running.add(SinkApplication.application().run(Stream.concat(Stream.of(as("sink")),
                    Stream.of(POSTGRES.springArgs())).toArray(String[]::new)));
            // Auto mode: rng reads the hasher group's lag, with its Describe grant on the group.
            running.add(RngApplication.application().run(as("rng", NO_DATABASE, "--rng.mode=auto",
                    "--rng.max-lag=60", "--rng.nonces=65536", "--rng.difficulty=14", "--rng.instance-id=acl")));

            await().atMost(Duration.ofSeconds(120)).until(() -> query("SELECT COALESCE(SUM(hashes), 0) "
                    + "FROM hasher_totals") >= 100L * 65536);
            await().atMost(Duration.ofSeconds(30)).until(() -> query("SELECT COUNT(*) FROM coins") > 0
                    && query("SELECT COUNT(*) FROM hash_rates") > 0);

            // The dashboard's and KEDA's view of the group, as their own users: lag per partition and the members.
            for (String user : List.of("webui", "keda")) {
                try (Admin admin = Admin.create(broker.user(user, PASSWORDS.get(user)))) {
                    assertThat(GroupLag.read(admin, ConsumerGroups.HASHER, Topics.BLOCKS.name(), Duration.ofSeconds(10)))
                            .as(user).hasSize(Topics.BLOCKS.partitions());
                    assertThat(admin.describeConsumerGroups(List.of(ConsumerGroups.HASHER)).all().get()
                            .get(ConsumerGroups.HASHER).members()).as(user).isNotEmpty();
                }
            }
        } finally {
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).close();
            }
        }
    }

    @Test
    void theBrokerEnforcesTheGrantsReadOnlyUsersCannotWriteAndGroupsAreTheirOwn() throws Exception {
        // cli reads every miner.* topic, in groups named cli-*, and writes nothing
        try (KafkaConsumer<byte[], byte[]> cli = consumer("cli", "cli-wallet")) {
            cli.subscribe(List.of(Topics.COINS.name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                cli.poll(Duration.ofMillis(500));
                return !cli.assignment().isEmpty();
            });
        }
        try (KafkaProducer<byte[], byte[]> cli = producer("cli")) {
            assertThatThrownBy(() -> cli.send(new ProducerRecord<>(Topics.BLOCKS.name(), new byte[1])).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // rng writes blocks but may not read them; cli may not consume in a group outside its prefix
        try (KafkaConsumer<byte[], byte[]> rng = consumer("rng", "rng-peek")) {
            rng.subscribe(List.of(Topics.BLOCKS.name()));
            assertThatThrownBy(() -> rng.poll(Duration.ofSeconds(10))).isInstanceOf(GroupAuthorizationException.class);
        }
        try (KafkaConsumer<byte[], byte[]> cli = consumer("cli", "hasher")) {
            cli.subscribe(List.of(Topics.BLOCKS.name()));
            assertThatThrownBy(() -> cli.poll(Duration.ofSeconds(10))).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    private static final String NO_DATABASE = Pipeline.NO_DATABASE;

    /** A service's arguments to run as its own KafkaUser, with the topics owned elsewhere (as on Kubernetes). */
    private static String[] as(String user, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=127.0.0.1:" + broker.clientPort,
                "--spring.kafka.security.protocol=SASL_PLAINTEXT",
                "--spring.kafka.properties.sasl.mechanism=" + SecuredBroker.SCRAM,
                "--spring.kafka.properties.sasl.jaas.config=" + SecuredBroker.jaas(user, PASSWORDS.get(user)),
                "--spring.kafka.admin.auto-create=false",
                "--server.port=0"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String user, String group) {
        Map<String, Object> props = new HashMap<>(broker.user(user, PASSWORDS.get(user)));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<byte[], byte[]> producer(String user) {
        Map<String, Object> props = new HashMap<>(broker.user(user, PASSWORDS.get(user)));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        // Not idempotent: an idempotent producer without any Write grant fails earlier, on the cluster, and the
        // test would not show the topic's own check.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static long query(String sql) throws Exception {
        try (Connection c = POSTGRES.server().connect(RealPostgres.DATABASE);
             ResultSet rows = c.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
