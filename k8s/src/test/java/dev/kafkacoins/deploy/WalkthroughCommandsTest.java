package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.deploy.KubectlCommands.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every kubectl command the README and docs/ tell a reader to type is one kubectl accepts. */
@Timeout(300)
class WalkthroughCommandsTest {

    static final Path ROOT = KubernetesManifestsTest.ROOT;

    @Test
    void kubectlAcceptsEveryCommandOfTheReadmeAndTheDocs(@TempDir Path scratch) throws Exception {
        List<Command> commands = new ArrayList<>();
        for (Path page : pages()) {
            commands.addAll(KubectlCommands.in(ROOT.relativize(page).toString(), Files.readString(page)));
        }
        assertThat(commands).filteredOn(c -> c.source().equals("docs/kubernetes.md")).hasSizeGreaterThanOrEqualTo(15);
        assertThat(KubectlCommands.refused(commands, ROOT, scratch)).isEmpty();
    }

    @Test
    void theWatchOfSeveralResourcesThatKubectlRefusesIsReported(@TempDir Path scratch) throws Exception {
        // The mistake of issue 15's step 7, and two more kubectl refuses before it reaches any server.
        List<Command> commands = KubectlCommands.in("seeded.md", """
                Watch it: `kubectl -n kafkacoins get scaledobject,hpa,deploy/hasher -w`.
                ```
                kubectl -n kafkacoins get scaledobject,hpa -w
                kubectl -n kafkacoins rollout status deploy/hasher --timout=5m
                kubectl apply -k k8s/no-such-overlay
                kubectl -n kafkacoins get deploy/hasher -w   # this one is fine
                ```
                """);
        assertThat(commands).hasSize(5);
        assertThat(KubectlCommands.refused(commands, ROOT, scratch)).containsExactly(
                "seeded.md: `kubectl -n kafkacoins get scaledobject,hpa -w`: kubectl refuses it: error: you may only "
                        + "specify a single resource type",
                "seeded.md: `kubectl -n kafkacoins rollout status deploy/hasher --timout=5m`: kubectl refuses it: "
                        + "Error: unknown flag: --timout",
                "seeded.md: `kubectl apply -k k8s/no-such-overlay`: kubectl refuses it: error: must build at directory: "
                        + "not a valid directory: evalsymlink failure on 'k8s/no-such-overlay' : lstat "
                        + ROOT.resolve("k8s/no-such-overlay") + ": no such file or directory",
                "seeded.md: `kubectl -n kafkacoins get scaledobject,hpa,deploy/hasher -w`: kubectl refuses it: error: "
                        + "arguments in resource/name form must have a single resource and name");
    }

    @Test
    void theShellWordsOfACommandAreFoundInsideSubstitutionsPipesAndQuotes() {
        assertThat(KubectlCommands.in("x.md", """
                ```
                TOKEN=$(kubectl -n s create token deployer --duration=720h)
                kubectl config set-credentials deployer --token="$TOKEN" | cat && kubectl get pods -o 'jsonpath={.items}'
                ```
                """)).extracting(Command::words).containsExactly(
                List.of("kubectl", "-n", "s", "create", "token", "deployer", "--duration=720h"),
                List.of("kubectl", "config", "set-credentials", "deployer", "--token=value"),
                List.of("kubectl", "get", "pods", "-o", "jsonpath={.items}"));
    }

    static List<Path> pages() throws Exception {
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            return Stream.concat(Stream.of(ROOT.resolve("README.md")),
                    docs.filter(p -> p.toString().endsWith(".md")).sorted()).toList();
        }
    }
}
