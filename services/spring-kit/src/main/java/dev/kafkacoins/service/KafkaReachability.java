package dev.kafkacoins.service;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of a service that needs the broker: UP when the cluster answers a metadata request within a few
 * seconds, OUT_OF_SERVICE otherwise (the service is alive and will resume by itself; it just cannot work now).
 */
public final class KafkaReachability implements HealthIndicator, DisposableBean {

    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Admin admin;

    public KafkaReachability(Map<String, Object> adminProperties) {
        Map<String, Object> props = new java.util.HashMap<>(adminProperties);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "health");
        // One probe must not queue behind an earlier one that is still waiting for a broker that is away.
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(props);
    }

    @Override
    public Health health() {
        try {
            String cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .clusterId().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            return Health.up().withDetail("cluster", cluster).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.outOfService().withDetail("error", "interrupted").build();
        } catch (Exception e) {
            return Health.outOfService().withDetail("error", "broker not reachable: " + e).build();
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(1));
    }
}
