package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.jmx.JmxCollector;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * strimzi/base/kafka-metrics.yaml, the rules every Kafka node's JMX exporter applies, run through the exporter's
 * own collector (io.prometheus.jmx:collector, the version Strimzi 1.2.0's Kafka images run) over MBeans named and shaped as a Kafka 4 broker and controller
 * register them (the names Kafka's monitoring documentation lists, attributes as Yammer gauges, meters and
 * histograms and Kafka's own metrics expose them). What comes out is Prometheus' text format, as a scrape of the
 * node's tcp-prometheus port would read it: the names Strimzi's dashboards and the usual alert expressions use.
 *
 * <p>The MBeans are registered here rather than read from a running broker: the test-support broker runs in a
 * child JVM without remote JMX, and what is checked is the rules' naming, not Kafka's.
 */
@Timeout(60)
class KafkaMetricsRulesTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new ArrayList<>();

    @AfterEach
    void unregister() throws Exception {
        for (ObjectName name : registered) {
            server.unregisterMBean(name);
        }
    }

    @Test
    void theRulesNameKafkasMetricsAsStrimzisDashboardsAndAlertsExpect() throws Exception {
        // Given the MBeans of a broker that is also the active controller
        register("kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions", Map.of("Value", 2));
        register("kafka.server:type=ReplicaManager,name=PartitionCount", Map.of("Value", 39));
        register("kafka.controller:type=KafkaController,name=ActiveControllerCount", Map.of("Value", 1));
        register("kafka.controller:type=KafkaController,name=OfflinePartitionsCount", Map.of("Value", 0));
        register("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=miner.blocks",
                Map.of("Count", 1200L, "OneMinuteRate", 20.0));
        register("kafka.network:type=RequestMetrics,name=TotalTimeMs,request=Produce",
                Map.of("Count", 300L, "99thPercentile", 12.5, "50thPercentile", 1.5));
        register("kafka.server:type=KafkaRequestHandlerPool,name=RequestHandlerAvgIdlePercent",
                Map.of("MeanRate", 0.93, "Count", 5L));
        register("kafka.log:type=Log,name=Size,topic=miner.coins,partition=0", Map.of("Value", 4096L));
        register("kafka.server:type=socket-server-metrics,listener=TLS-9093,networkProcessor=3",
                Map.of("connection-count", 7.0, "failed-authentication-total", 2.0));
        register("kafka.server:type=raft-metrics", Map.of("current-state", "leader", "commit-latency-avg", 3.0,
                "append-records-rate", 0.5));
        register("kafka.server:type=broker-metadata-metrics", Map.of("last-applied-record-offset", 812.0));
        register("kafka.server:type=Fetch", Map.of("queue-size", 0.0)); // matched by no rule

        // When the node's exporter collects them with the repository's rules
        String scrape = scrape(rules());

        // Then each has the name and labels the dashboards and alerts query
        assertThat(scrape.lines().filter(l -> !l.startsWith("#"))).contains(
                "kafka_server_replicamanager_underreplicatedpartitions 2.0",
                "kafka_server_replicamanager_partitioncount 39.0",
                "kafka_controller_kafkacontroller_activecontrollercount 1.0",
                "kafka_controller_kafkacontroller_offlinepartitionscount 0.0",
                "kafka_server_brokertopicmetrics_messagesin_total{topic=\"miner.blocks\"} 1200.0",
                // The exporter's 1.x line appends _total to every counter, so a histogram's count reads _count_total.
                "kafka_network_requestmetrics_totaltimems_count_total{request=\"Produce\"} 300.0",
                "kafka_network_requestmetrics_totaltimems{quantile=\"0.99\",request=\"Produce\"} 12.5",
                "kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent 0.93",
                "kafka_log_log_size{partition=\"0\",topic=\"miner.coins\"} 4096.0",
                "kafka_server_socket_server_metrics_connection_count{listener=\"TLS-9093\",networkProcessor=\"3\"} 7.0",
                "kafka_server_socket_server_metrics_failed_authentication_total{listener=\"TLS-9093\","
                        + "networkProcessor=\"3\"} 2.0",
                "kafka_server_raftmetrics_current_state{current_state=\"leader\"} 1.0",
                "kafka_server_raftmetrics_commit_latency_avg 3.0",
                "kafka_server_brokermetadatametrics_last_applied_record_offset 812.0");
        // An MBean no rule matches is not exported: the rules list what is worth a time series.
        assertThat(scrape).doesNotContain("queue_size");
    }

    /** The rules as the ConfigMap holds them, under the key the Kafka's metricsConfig names. */
    private static String rules() {
        JsonNode kafka = Manifests.read(StrimziManifestsTest.STRIMZI.resolve("base/kafka.yaml")).getFirst();
        JsonNode ref = kafka.at("/spec/kafka/metricsConfig/valueFrom/configMapKeyRef");
        JsonNode configMap = Manifests.read(StrimziManifestsTest.STRIMZI.resolve("base/kafka-metrics.yaml")).getFirst();
        assertThat(configMap.at("/metadata/name").asText()).isEqualTo(ref.path("name").asText());
        String rules = configMap.path("data").path(ref.path("key").asText()).asText(null);
        assertThat(rules).as("the key " + ref.path("key").asText()).isNotNull();
        return rules;
    }

    private static String scrape(String rules) throws Exception {
        // A registry of its own: the collector creates its scrape-duration gauges when registered.
        PrometheusRegistry registry = new PrometheusRegistry();
        new JmxCollector(rules).register(registry);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        return out.toString(StandardCharsets.UTF_8);
    }

    private void register(String name, Map<String, Object> attributes) throws Exception {
        ObjectName objectName = new ObjectName(name);
        server.registerMBean(new FixedMBean(attributes), objectName);
        registered.add(objectName);
    }

    /**
     * An MBean with fixed attribute values, the shape the exporter reads (it only lists and gets attributes).
     * Hand-written: the JDK has no ready-made DynamicMBean for constant values.
     */
    private record FixedMBean(Map<String, Object> attributes) implements DynamicMBean {

        FixedMBean {
            attributes = new LinkedHashMap<>(attributes);
        }

        @Override
        public Object getAttribute(String attribute) {
            return attributes.get(attribute);
        }

        @Override
        public void setAttribute(Attribute attribute) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public AttributeList getAttributes(String[] names) {
            AttributeList list = new AttributeList();
            for (String name : names) {
                list.add(new Attribute(name, attributes.get(name)));
            }
            return list;
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public Object invoke(String action, Object[] params, String[] signature) {
            throw new UnsupportedOperationException(action);
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            MBeanAttributeInfo[] infos = attributes.entrySet().stream().map(e -> new MBeanAttributeInfo(e.getKey(),
                    e.getValue().getClass().getName(), e.getKey(), true, false, false))
                    .toArray(MBeanAttributeInfo[]::new);
            return new MBeanInfo(FixedMBean.class.getName(), "fixed values", infos, null, null, null);
        }
    }
}
