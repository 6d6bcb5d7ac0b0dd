package dev.kafkacoins.aggregator;

import dev.kafkacoins.testsupport.ConfigurationDocs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** docs/configuration.md documents exactly the settings of the aggregator, as its generated configuration metadata has them. */
@Timeout(30)
class ConfigurationDocsTest {

    @Test
    void theSettingsReferenceMatchesTheGeneratedMetadata() throws Exception {
        ConfigurationDocs.assertDocumented();
    }
}
