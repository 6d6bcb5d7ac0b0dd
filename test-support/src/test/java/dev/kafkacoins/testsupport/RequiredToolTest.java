package dev.kafkacoins.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class RequiredToolTest {

    private static final String INSTALL = "Debian: apt-get install shellcheck";

    @Test
    void aToolOnThePathIsFoundInCiAndOutside(@TempDir Path bin) throws Exception {
        Path tool = Files.createFile(bin.resolve("shellcheck"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        assertThat(RequiredTool.onPath("shellcheck", INSTALL, Map.of("PATH", "/nonexistent:" + bin, "CI", "true"))
                .path()).isEqualTo(tool);
        assertThat(RequiredTool.onPath("shellcheck", INSTALL, Map.of("PATH", bin.toString())).path()).isEqualTo(tool);
    }

    @Test
    void aMissingToolFailsInCiNamingItAndHowToInstallIt(@TempDir Path bin) {
        assertThatThrownBy(() -> RequiredTool.onPath("shellcheck", INSTALL,
                Map.of("PATH", bin.toString(), "CI", "true")).path())
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("missing shellcheck: " + INSTALL);
    }

    @Test
    void aMissingToolIsSkippedOutsideCiWithTheSameMessage(@TempDir Path bin) {
        assertThatThrownBy(() -> RequiredTool.onPath("shellcheck", INSTALL, Map.of("PATH", bin.toString())).path())
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("missing shellcheck: " + INSTALL);
        assertThatThrownBy(() -> RequiredTool.onPath("shellcheck", INSTALL,
                Map.of("PATH", bin.toString(), "CI", "false")).path())
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void somethingTheBuildLeavesIsRequiredTheSameWay() {
        RequiredTool.require(true, "image tars", "run ./mvnw verify", Map.of("CI", "true"));
        assertThatThrownBy(() -> RequiredTool.require(false, "image tars", "run ./mvnw verify", Map.of("CI", "true")))
                .isInstanceOf(AssertionError.class).hasMessageStartingWith("missing image tars: run ./mvnw verify");
        assertThatThrownBy(() -> RequiredTool.require(false, "image tars", "run ./mvnw verify", Map.of()))
                .isInstanceOf(TestAbortedException.class);
    }
}
