package dev.kafkacoins.hasher;

import dev.kafkacoins.testsupport.RealKafka;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the real hasher application in this JVM against a test broker. */
final class HasherRun {

    private HasherRun() {
    }

    static ConfigurableApplicationContext start(RealKafka kafka, String instanceId, int threads, String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers();
        args[1] = "--server.port=0";
        args[2] = "--hasher.instance-id=" + instanceId;
        args[3] = "--hasher.threads=" + threads;
        System.arraycopy(extra, 0, args, 4, extra.length);
        return HasherApplication.application().run(args);
    }
}
