package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.testsupport.RequiredTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/e2e/kind.sh cannot run here (it needs Docker and a cluster), so what can be checked is checked: ShellCheck
 * finds nothing in it, and kubectl accepts each of its kubectl commands.
 */
@Timeout(120)
class KindScriptTest {

    static final Path SCRIPT = KubernetesManifestsTest.K8S.resolve("e2e/kind.sh");

    @Test
    void shellCheckFindsNothing() throws Exception {
        // The Jenkins agent's maven image has no ShellCheck (docs/jenkins.md): skipped there, as on a laptop.
        Path shellcheck = RequiredTool.onPath("shellcheck", "it checks k8s/e2e/kind.sh (Debian: apt-get install "
                + "shellcheck)").path();
        Process process = new ProcessBuilder(shellcheck.toString(), SCRIPT.toString()).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isEmpty();
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void kubectlAcceptsItsCommands(@TempDir Path scratch) throws Exception {
        var commands = KubectlCommands.in("k8s/e2e/kind.sh", "```\n" + Files.readString(SCRIPT) + "\n```\n");
        assertThat(commands).hasSizeGreaterThanOrEqualTo(10);
        assertThat(KubectlCommands.refused(commands, KubernetesManifestsTest.ROOT, scratch)).isEmpty();
    }
}
