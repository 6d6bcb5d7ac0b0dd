package dev.kafkacoins.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ServiceGrantsTest {

    @Test
    void aGrantBecomesOneAllowBindingPerOperationAsTheUserOperatorMakesThem() {
        List<AclBinding> bindings = ServiceGrants.aclBindings("aggregator", ServiceGrants.BY_USER.get("aggregator"));

        ResourcePattern internalTopics = new ResourcePattern(ResourceType.TOPIC, ConsumerGroups.AGGREGATOR + "-",
                PatternType.PREFIXED);
        assertThat(bindings).contains(
                new AclBinding(internalTopics, allow("aggregator", AclOperation.DESCRIBE_CONFIGS)),
                new AclBinding(internalTopics, allow("aggregator", AclOperation.CREATE)),
                new AclBinding(new ResourcePattern(ResourceType.TRANSACTIONAL_ID, ConsumerGroups.AGGREGATOR + "-",
                        PatternType.PREFIXED), allow("aggregator", AclOperation.WRITE)),
                new AclBinding(new ResourcePattern(ResourceType.GROUP, ConsumerGroups.AGGREGATOR, PatternType.LITERAL),
                        allow("aggregator", AclOperation.READ)));
        int operations = ServiceGrants.BY_USER.get("aggregator").stream().mapToInt(g -> g.operations().size()).sum();
        assertThat(bindings).hasSize(operations).doesNotHaveDuplicates();
    }

    @Test
    void everyGrantOfEveryUserTranslates() {
        ServiceGrants.BY_USER.forEach((user, grants) -> assertThat(ServiceGrants.aclBindings(user, grants))
                .as(user).isNotEmpty().allSatisfy(b -> assertThat(b.entry().operation())
                        .isNotEqualTo(AclOperation.UNKNOWN)));
    }

    private static AccessControlEntry allow(String user, AclOperation operation) {
        return new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW);
    }
}
