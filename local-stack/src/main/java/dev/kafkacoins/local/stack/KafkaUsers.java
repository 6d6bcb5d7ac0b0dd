package dev.kafkacoins.local.stack;

import dev.kafkacoins.local.Secrets;
import dev.kafkacoins.protocol.ServiceGrants;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Who may use the local broker: one SCRAM-SHA-512 user per service with exactly the ACLs of its KafkaUser in
 * strimzi/base ({@link ServiceGrants}), and {@value #ADMIN}, a super user for the stack itself and for Kafka's
 * tools ({@code ./miner kafka …}). The broker's own controller connection authenticates as {@value #CONTROLLER}.
 */
public final class KafkaUsers {

    static final String MECHANISM = "SCRAM-SHA-512";
    static final String ADMIN = "admin";
    static final String CONTROLLER = "controller";
    /** The services the stack runs, by their KafkaUser's name. */
    public static final List<String> SERVICES = List.of("rng", "hasher", "aggregator", "sink", "webui");

    private KafkaUsers() {
    }

    /** The secret's name of a Kafka user in the stack's passwords file. */
    static String secretName(String user) {
        return "kafka." + user;
    }

    static List<String> secretNames() {
        List<String> names = new ArrayList<>(List.of(secretName(ADMIN), secretName(CONTROLLER)));
        SERVICES.forEach(user -> names.add(secretName(user)));
        return names;
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** A client's settings to connect as {@code user}: SASL over plain TCP (loopback only; TLS is not the point). */
    static Map<String, String> client(String user, Secrets secrets) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, secrets.password(secretName(user))));
        return config;
    }

    /** As the admin: every service's SCRAM credentials and its ACLs; at every start, so a new grant arrives. */
    public static void ensure(Admin admin, Secrets secrets) throws Exception {
        List<UserScramCredentialAlteration> credentials = new ArrayList<>();
        List<AclBinding> acls = new ArrayList<>();
        for (String user : SERVICES) {
            credentials.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), secrets.password(secretName(user))));
            acls.addAll(ServiceGrants.aclBindings(user, ServiceGrants.BY_USER.get(user)));
        }
        admin.alterUserScramCredentials(credentials).all().get(30, TimeUnit.SECONDS);
        admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }
}
