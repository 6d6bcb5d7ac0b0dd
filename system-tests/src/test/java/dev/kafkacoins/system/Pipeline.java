package dev.kafkacoins.system;

import dev.kafkacoins.aggregator.AggregatorApplication;
import dev.kafkacoins.db.MigrationsApplication;
import dev.kafkacoins.hasher.HasherApplication;
import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.CoinRows;
import dev.kafkacoins.protocol.ExactlyOnce;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.rng.RngApplication;
import dev.kafkacoins.sink.SinkApplication;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.RealPostgres;
import dev.kafkacoins.webui.WebuiApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.flywaydb.core.Flyway;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole pipeline on a real broker and a real PostgreSQL: migrations, rng, hasher, aggregator and sink, each
 * the real application. What the tests check is what a user would query: the tables.
 */
public final class Pipeline implements AutoCloseable {

    /**
     * For rng, the hasher, the aggregator and the webui, which use no JDBC database: on this classpath, which
     * holds the sink's JDBC and the migrations' Flyway as well, Boot would set one up. Only this module runs
     * several services in one JVM, so only it needs this.
     */
    public static final String NO_DATABASE = "--spring.autoconfigure.exclude="
            + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
            + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration";

    private final RealKafka kafka;
    private final RealPostgres postgres;
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();
    private ConfigurableApplicationContext rng;

    public Pipeline(RealKafka kafka, RealPostgres postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    /** Applies the schema with the real migrations app; fails if Flyway did not run (missing from the classpath). */
    public void migrate() {
        try (ConfigurableApplicationContext migrations = MigrationsApplication.application().run(postgres.springArgs())) {
            migrations.getBean(Flyway.class);
        }
    }

    public void startHasher(int threads) {
        running.add(HasherApplication.application().run(kafkaArgs(NO_DATABASE, "--hasher.instance-id=e2e",
                "--hasher.threads=" + threads)));
    }

    public ConfigurableApplicationContext startAggregator() throws Exception {
        Path state = Files.createTempDirectory("aggregator-state");
        ConfigurableApplicationContext aggregator = AggregatorApplication.application().run(kafkaArgs(NO_DATABASE,
                "--spring.kafka.streams.state-dir=" + state));
        running.add(aggregator);
        return aggregator;
    }

    public ConfigurableApplicationContext startSink() {
        ConfigurableApplicationContext sink = SinkApplication.application().run(
                Stream.concat(Arrays.stream(kafkaArgs()), Arrays.stream(postgres.springArgs())).toArray(String[]::new));
        running.add(sink);
        return sink;
    }

    /** Arguments for a sink in a JVM of its own. */
    List<String> sinkArgs() {
        return Stream.concat(Arrays.stream(kafkaArgs()), Arrays.stream(postgres.springArgs())).toList();
    }

    /** The real webui on this pipeline's database and broker. */
    public ConfigurableApplicationContext startWebui() {
        ConfigurableApplicationContext webui = WebuiApplication.application().run(kafkaArgs(NO_DATABASE,
                "--spring.r2dbc.url=" + postgres.jdbcUrl().replace("jdbc:", "r2dbc:"),
                "--spring.r2dbc.username=" + postgres.server().username(),
                "--spring.r2dbc.password=" + postgres.server().password()));
        running.add(webui);
        return webui;
    }

    public static String baseUrl(ConfigurableApplicationContext app) {
        return "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    }

    public void startRng(double blocksPerSecond, int nonces, int difficulty) {
        rng = RngApplication.application().run(kafkaArgs(NO_DATABASE, "--rng.mode=rate", "--rng.rate=" + blocksPerSecond,
                "--rng.nonces=" + nonces, "--rng.difficulty=" + difficulty, "--rng.instance-id=e2e"));
    }

    public void stopRng() {
        rng.close();
        rng = null;
    }

    /** Σ nonces of every block on miner.blocks: what the totals must add up to once the pipeline drains. */
    long producedNonces() {
        return kafka.probe().readCommitted(Topics.BLOCKS).stream().mapToLong(r ->
                Topics.BLOCKS.valueSerde().deserializer().deserialize(Topics.BLOCKS.name(), r.value()).nonces()).sum();
    }

    /** The exactly-once verdict on what Kafka committed (a record no service would parse is not the rule's). */
    ExactlyOnce.Verdict verdict() {
        return ExactlyOnce.judge(committed(Topics.BLOCKS), committed(Topics.HASHES), committed(Topics.COINS));
    }

    private <V> List<V> committed(Topic<String, V> topic) {
        List<V> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.probe().readCommitted(topic)) {
            try {
                values.add(topic.valueSerde().deserializer().deserialize(topic.name(), r.value()));
            } catch (RuntimeException invalid) {
                // A dead letter's business, checked by the tests that inject it
            }
        }
        return values;
    }

    /** createdAt of every block on miner.blocks. */
    List<Long> blockCreationTimes() {
        return kafka.probe().readCommitted(Topics.BLOCKS).stream().map(r -> Topics.BLOCKS.valueSerde().deserializer()
                .deserialize(Topics.BLOCKS.name(), r.value()).createdAt()).toList();
    }

    long blocks() {
        return kafka.probe().readCommitted(Topics.BLOCKS).size();
    }

    public long totalHashesInPostgres() throws SQLException {
        return queryLong("SELECT COALESCE(SUM(hashes), 0) FROM hasher_totals");
    }

    /** Each hasher's row in hasher_totals. */
    Map<String, ExactlyOnce.Tally> hasherTotals() throws SQLException {
        Map<String, ExactlyOnce.Tally> totals = new HashMap<>();
        try (Connection c = postgres.server().connect(RealPostgres.DATABASE);
             ResultSet rows = c.createStatement().executeQuery("SELECT hasher, hashes, blocks, coins FROM hasher_totals")) {
            while (rows.next()) {
                totals.put(rows.getString(1), new ExactlyOnce.Tally(rows.getLong(2), rows.getLong(3), rows.getLong(4)));
            }
        }
        return totals;
    }

    long queryLong(String sql) throws SQLException {
        try (Connection c = postgres.server().connect(RealPostgres.DATABASE);
             ResultSet rows = c.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Every coin row, as stored, re-verified from its own seed, nonce and difficulty. */
    List<Coin> coinRows() throws SQLException {
        List<Coin> coins = new ArrayList<>();
        try (Connection c = postgres.server().connect(RealPostgres.DATABASE);
             ResultSet rows = c.createStatement().executeQuery(CoinRows.SELECT)) {
            while (rows.next()) {
                coins.add(CoinRows.coin(rows));
            }
        }
        return coins;
    }

    String[] kafkaArgs(String... extra) {
        List<String> args = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--server.port=0"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Override
    public void close() {
        if (rng != null) {
            stopRng();
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }
}
