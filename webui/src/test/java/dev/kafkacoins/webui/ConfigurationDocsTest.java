package dev.kafkacoins.webui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.testsupport.ConfigurationDocs;
import dev.kafkacoins.testsupport.ConfigurationDocs.Metadata;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** docs/configuration.md documents exactly the settings of the webui, as its generated configuration metadata has them. */
@Timeout(30)
class ConfigurationDocsTest {

    @Test
    void theSettingsReferenceMatchesTheGeneratedMetadata() throws Exception {
        ConfigurationDocs.assertDocumented();
    }

    @Test
    void aMissingRowAndAMisspeltOneAreBothNamed() throws Exception {
        // Given the real page with the heartbeat's row misspelt, as a rename in the code would leave it
        Metadata metadata = Metadata.read(ConfigurationDocs.METADATA);
        String page = Files.readString(ConfigurationDocs.page());
        assertThat(page).contains("| `webui.heartbeat` |");
        String seeded = page.replace("| `webui.heartbeat` |", "| `webui.heart-beat` |");

        // Then both directions are reported, and nothing else
        assertThat(ConfigurationDocs.mismatches(metadata, ConfigurationDocs.documented(seeded))).containsExactly(
                "webui.heartbeat is a setting of this module, but docs/configuration.md does not document it",
                "docs/configuration.md documents webui.heart-beat, which is not a setting of this module");
    }
}
