package dev.kafkacoins.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.local.supervisor.Outcome;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

/** The sentences the commands print for the supervisor's outcomes (MinerIT and the docs quote some of them). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OutcomeTextTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aKillNamesTheProcessAndTheSignal() {
        assertThat(OutcomeText.of(new Outcome.Killed("hasher-2", 4711, null, false)))
                .isEqualTo("killed hasher-2 (pid 4711) with SIGKILL");
        assertThat(OutcomeText.of(new Outcome.Killed("kafka", 12, null, true)))
                .isEqualTo("killed kafka (pid 12) with SIGKILL; it stays down until restarted");
    }

    @Test
    void killingPostgresNamesItsServerToo() {
        Outcome.Killed killed = new Outcome.Killed("postgres", 100, new Outcome.ServerEnded(200, 7, "SIGKILL"), false);
        assertThat(OutcomeText.of(killed)).isEqualTo(
                "killed postgres (pid 100) and its server (postmaster pid 200 and 7 backends, SIGKILL) with SIGKILL");
    }

    @Test
    void aScaleListsEachProcessThenTheCount() {
        Outcome.Scaled up = new Outcome.Scaled(List.of(new Outcome.Started("hasher-3", 31), new Outcome.Started(
                "hasher-4", 41)), List.of(), 4);
        assertThat(OutcomeText.of(up))
                .isEqualTo("started hasher-3 (pid 31)\nstarted hasher-4 (pid 41)\n4 hashers running");
        Outcome.Scaled down = new Outcome.Scaled(List.of(), List.of(new Outcome.Stopped("hasher-2", false)), 1);
        assertThat(OutcomeText.of(down)).isEqualTo("stopped hasher-2\n1 hashers running");
        Outcome.Scaled same = new Outcome.Scaled(List.of(), List.of(), 2);
        assertThat(OutcomeText.of(same)).isEqualTo("2 hashers already running");
        assertThat(OutcomeText.count(up)).isEqualTo("4 hashers running");
    }

    @Test
    void stopsSignalsAndRestarts() {
        assertThat(OutcomeText.of(new Outcome.Stopped("rng", true)))
                .isEqualTo("stopped rng (its pending restart is cancelled)");
        assertThat(OutcomeText.of(new Outcome.Signalled("hasher-1", 9, "STOP")))
                .isEqualTo("sent SIGSTOP to hasher-1 (pid 9)");
        assertThat(OutcomeText.of(new Outcome.Restarted("kafka", 77))).isEqualTo("restarted kafka (pid 77)");
    }

    @Test
    void outcomesCrossTheControlEndpointAsJsonUnchanged() {
        // The supervisor sends them as JSON and the command reads them back: the sentence must survive the trip.
        Outcome.Killed killed = new Outcome.Killed("postgres", 100, new Outcome.ServerEnded(200, 7, "SIGKILL"), true);
        Outcome.Scaled scaled = new Outcome.Scaled(List.of(new Outcome.Started("hasher-3", 31)),
                List.of(new Outcome.Stopped("hasher-5", false)), 3);
        assertThat(JSON.readValue(JSON.writeValueAsString(killed), Outcome.Killed.class)).isEqualTo(killed);
        assertThat(JSON.readValue(JSON.writeValueAsString(scaled), Outcome.Scaled.class)).isEqualTo(scaled);
        assertThat(JSON.readValue(JSON.writeValueAsString(new Outcome.Killed("rng", 5, null, false)),
                Outcome.Killed.class).server()).isNull();
    }
}
