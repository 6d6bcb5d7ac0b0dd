package dev.kafkacoins.local.chaos;

import dev.kafkacoins.protocol.ConsumerGroups;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;

/** The hasher group's members as the broker describes them, for the chaos run's judgements of single hashers. */
final class HasherGroup {

    private HasherGroup() {
    }

    /** The members of the hasher group whose client id starts with {@code prefix}; none while the broker does not answer. */
    static List<MemberDescription> members(Admin admin, String prefix) {
        try {
            return admin.describeConsumerGroups(List.of(ConsumerGroups.HASHER)).all().get(5, TimeUnit.SECONDS)
                    .get(ConsumerGroups.HASHER).members().stream()
                    .filter(member -> member.clientId().startsWith(prefix)).toList();
        } catch (Exception e) {
            return List.of();
        }
    }
}
