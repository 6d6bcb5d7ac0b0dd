package dev.kafkacoins.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.PrometheusScrape;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.RealPostgres;
import dev.kafkacoins.testsupport.TestBlocks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * /api/group against a real broker: members, owned partitions, lag, and idle members beyond the partitions; and
 * the same lag as Prometheus series, with no page open.
 */
@Timeout(180)
class GroupViewIT {

    @RegisterExtension
    static final RealKafka KAFKA = new RealKafka(Topics.BLOCKS);
    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();

    @Test
    void showsEightMembersOnSixPartitionsWithTwoIdleAndTheLag() throws Exception {
        // Given 30 blocks nobody commits, and eight members of the hasher group on six partitions
        KAFKA.probe().send(Topics.BLOCKS, TestBlocks.random("g", 30, 1, 8, 5), Block::id);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService members = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 8; i++) {
            int n = i;
            members.submit(() -> poll("member-" + n, running));
        }
        WebuiRun.migrate(POSTGRES);
        try (ConfigurableApplicationContext webui = WebuiRun.start(POSTGRES,
                "--spring.kafka.bootstrap-servers=" + KAFKA.bootstrapServers())) {
            WebTestClient client = WebTestClient.bindToServer().baseUrl(WebuiRun.baseUrl(webui)).build();
            int port = Integer.parseInt(webui.getEnvironment().getProperty("local.server.port"));

            // Then, before any page asks, Prometheus finds the lag per partition (the lag alert's series)
            Map<String, String> blocks = Map.of("group", ConsumerGroups.HASHER, "topic", Topics.BLOCKS.name());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                PrometheusScrape scrape = PrometheusScrape.of(port);
                assertThat(scrape.samples("kafkacoins_hasher_group_lag", blocks))
                        .extracting(sample -> sample.labels().get("partition"))
                        .containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5");
                assertThat(scrape.sum("kafkacoins_hasher_group_lag", blocks)).isEqualTo(30);
            });

            // And the dashboard's view matches what kafka-consumer-groups --describe would say
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client.get().uri("/api/group").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.group").isEqualTo(ConsumerGroups.HASHER)
                    .jsonPath("$.partitions").isEqualTo(6)
                    .jsonPath("$.members.length()").isEqualTo(8)
                    .jsonPath("$.members[?(@.idle == true)].clientId").value(idle ->
                            assertThat((List<?>) idle).hasSize(2))
                    .jsonPath("$.members[*].partitions[*]").value(owned ->
                            assertThat((List<Object>) owned).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5))
                    .jsonPath("$.totalLag").isEqualTo(30)
                    .jsonPath("$.lag.length()").isEqualTo(6));
        } finally {
            running.set(false);
            members.shutdown();
            assertThat(members.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void kafkaUnreachableIsA503Problem() throws Exception {
        WebuiRun.migrate(POSTGRES);
        try (ConfigurableApplicationContext webui = WebuiRun.start(POSTGRES,
                "--spring.kafka.bootstrap-servers=127.0.0.1:1",
                "--spring.kafka.admin.properties.default.api.timeout.ms=3000",
                "--spring.kafka.admin.properties.request.timeout.ms=2000")) {
            WebTestClient.bindToServer().baseUrl(WebuiRun.baseUrl(webui)).responseTimeout(Duration.ofSeconds(30))
                    .build().get().uri("/api/group").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.title").isEqualTo("Kafka unreachable");
            // and no lag is made up while the group cannot be read
            int port = Integer.parseInt(webui.getEnvironment().getProperty("local.server.port"));
            assertThat(PrometheusScrape.of(port).samples("kafkacoins_hasher_group_lag", Map.of())).isEmpty();
        }
    }

    /** A group member that polls but never commits, as a stalled hasher would. */
    private static void poll(String clientId, AtomicBoolean running) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, ConsumerGroups.HASHER,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.BLOCKS.name()));
            while (running.get()) {
                consumer.poll(Duration.ofMillis(200));
            }
        }
    }
}
