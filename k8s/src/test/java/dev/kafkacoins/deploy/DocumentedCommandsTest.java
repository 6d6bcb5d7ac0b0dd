package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.deploy.DocumentedCommands.Command;
import dev.kafkacoins.deploy.DocumentedCommands.RunHere;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every ./miner and ./mvnw command in the code blocks of the README and docs/ is run by something here (.ci/run,
 * MinerIT, ObserveIT) or says, in a comment, that it is not run here. docs/testing.md describes the convention.
 */
@Timeout(60)
class DocumentedCommandsTest {

    static final Path ROOT = KubernetesManifestsTest.ROOT;

    @Test
    void everyCommandOfTheReadmeAndTheDocsIsRunHereOrMarked() throws Exception {
        List<Command> commands = new ArrayList<>();
        for (Path page : WalkthroughCommandsTest.pages()) {
            commands.addAll(DocumentedCommands.in(ROOT.relativize(page).toString(), Files.readString(page)));
        }
        RunHere runHere = RunHere.in(ROOT);

        assertThat(commands).filteredOn(c -> c.source().equals("README.md")).extracting(Command::line)
                .contains("./miner up          # build if needed, then run the whole miner on 127.0.0.1; open the dashboard it prints");
        assertThat(commands).filteredOn(c -> !c.marked()).hasSizeGreaterThanOrEqualTo(8);
        assertThat(DocumentedCommands.unaccounted(commands, runHere)).isEmpty();
    }

    @Test
    void whatCiAndMinerItRunIsReadFromThem() throws Exception {
        RunHere runHere = RunHere.in(ROOT);

        assertThat(runHere.ciCommands()).contains("./mvnw verify", "./miner chaos --seconds 90");
        assertThat(runHere.minerItStrings()).contains("up", "scale", "kill", "status", "down", "--fresh", "--no-restart");
    }

    @Test
    void anUnmarkedCommandNothingRunsIsNamedAndAMarkedOneIsNot() throws Exception {
        List<Command> commands = DocumentedCommands.in("seeded.md", """
                Run it:
                ```
                ./mvnw verify                     # what CI runs
                ./miner kill hasher               # MinerIT kills one
                ./miner up --partitions 12        # MinerIT never passes --partitions
                ./miner logs sink
                ./miner kafka topics --list       # not run here: needs a running stack
                ./mvnw -Ppublish-images verify \\
                    -Dimage.tag=1.0.0
                ```
                ```
                # not run here: a benchmark, by hand
                ./mvnw -q -pl webui validate exec:exec@sse-bench
                ./miner bench
                ```
                A command in prose is not a block's: `./miner restart sink`.
                """);

        assertThat(commands).hasSize(8);
        assertThat(DocumentedCommands.unaccounted(commands, RunHere.in(ROOT))).containsExactly(
                "seeded.md: `./miner up --partitions 12        # MinerIT never passes --partitions` is run by no test "
                        + "here (.ci/run, MinerIT, ObserveIT): run it in one, or mark it with a comment: # not run here: <why>",
                "seeded.md: `./miner logs sink` is run by no test here (.ci/run, MinerIT, ObserveIT): run it in one, or mark it "
                        + "with a comment: # not run here: <why>",
                "seeded.md: `./mvnw -Ppublish-images verify -Dimage.tag=1.0.0` is run by no test here (.ci/run, "
                        + "MinerIT, ObserveIT): run it in one, or mark it with a comment: # not run here: <why>");
    }
}
