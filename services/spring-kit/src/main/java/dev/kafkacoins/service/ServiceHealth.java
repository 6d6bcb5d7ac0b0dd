package dev.kafkacoins.service;

import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The health every KafkaCoins service reports, the same way: two contributors with fixed names, which
 * {@link ServiceDefaults} puts into the probe groups.
 * <ul>
 *   <li>{@value #LOOPS} is in the liveness group: DOWN when the service's loop has died (restart it). By default
 *   the {@link BackgroundLoop} beans of the application; a service whose loop is not one (Kafka Streams, the
 *   hasher's threads, a reactive source) declares a bean of this name.</li>
 *   <li>{@value #DEPENDENCIES} is in the readiness group: OUT_OF_SERVICE while what it needs to do work is away
 *   (do not route to it, do not restart it). By default the broker; a service that works against PostgreSQL
 *   declares a bean of this name.</li>
 * </ul>
 * Also provides the {@link ProcessExit} that loops use to take the process down.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
public class ServiceHealth {

    public static final String LOOPS = "loops";
    public static final String DEPENDENCIES = "dependencies";

    @Bean
    @ConditionalOnMissingBean
    ProcessExit processExit(ApplicationContext context) {
        return ProcessExit.closing(context);
    }

    @Bean(LOOPS)
    @ConditionalOnMissingBean(name = LOOPS)
    LoopsHealth loops(ObjectProvider<BackgroundLoop> loops) {
        return new LoopsHealth(() -> List.copyOf(loops.orderedStream().toList()));
    }

    @Bean(DEPENDENCIES)
    @ConditionalOnMissingBean(name = DEPENDENCIES)
    KafkaReachability dependencies(KafkaProperties kafka) {
        return new KafkaReachability(kafka.buildAdminProperties());
    }
}
