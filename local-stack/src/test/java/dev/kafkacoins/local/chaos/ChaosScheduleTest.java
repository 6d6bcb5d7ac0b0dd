package dev.kafkacoins.local.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkacoins.local.chaos.ChaosSchedule.Fault;
import dev.kafkacoins.local.chaos.ChaosSchedule.Kind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class ChaosScheduleTest {

    @Test
    void theSameSeedGivesTheSameScheduleDownToTheHasher() {
        List<Fault> first = ChaosSchedule.of(42, Duration.ofSeconds(180), 3);
        List<Fault> again = ChaosSchedule.of(42, Duration.ofSeconds(180), 3);
        List<Fault> other = ChaosSchedule.of(43, Duration.ofSeconds(180), 3);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @ParameterizedTest
    @ValueSource(ints = {90, 120, 180, 600})
    void everyFaultIsScheduledAndTheBrokerIsAwayLongerThanTheClientsTimeouts(int seconds) {
        List<Fault> faults = ChaosSchedule.of(7, Duration.ofSeconds(seconds), 3);

        EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);
        faults.forEach(f -> kinds.add(f.kind()));
        assertThat(kinds).containsExactlyInAnyOrder(Kind.values());
        Fault outage = faults.stream().filter(f -> f.kind() == Kind.BROKER_OUTAGE).findFirst().orElseThrow();
        assertThat(outage.hold()).isBetween(Duration.ofSeconds(35), Duration.ofSeconds(75));
        assertThat(faults.stream().filter(f -> f.kind() == Kind.KILL_HASHER).count())
                .isGreaterThanOrEqualTo(seconds / 8 - 1);
        assertThat(faults).allSatisfy(f -> assertThat(f.hasher()).isBetween(0, 3));
        assertThat(faults).isSortedAccordingTo(java.util.Comparator.comparing(Fault::at));
        assertThat(faults).as("every fault ends within --seconds").allSatisfy(f ->
                assertThat(f.at().plus(f.hold())).isLessThanOrEqualTo(Duration.ofSeconds(seconds)));
        assertThat(faults.stream().filter(f -> f.kind() != Kind.KILL_HASHER && f.kind() != Kind.POISON
                && f.kind() != Kind.HOSTILE).map(Fault::kind)).as("each one-off fault once").doesNotHaveDuplicates();
    }

    @Test
    void theZombieAndTheHasherUnderAFreshIdAreNeverTheSameHasher() {
        for (long seed = 0; seed < 200; seed++) {
            List<Fault> faults = ChaosSchedule.of(seed, Duration.ofSeconds(90), 3);
            int paused = faults.stream().filter(f -> f.kind() == Kind.PAUSE_HASHER).findFirst().orElseThrow().hasher();
            int fresh = faults.stream().filter(f -> f.kind() == Kind.FRESH_HASHER).findFirst().orElseThrow().hasher();
            assertThat(fresh).as("seed %d", seed).isNotEqualTo(paused).isBetween(1, 3);
        }
    }

    @Test
    void aHeldFaultEndsBeforeTheNextOneOffFaultBegins() {
        List<Fault> oneOffs = ChaosSchedule.of(11, Duration.ofSeconds(90), 3).stream()
                .filter(f -> f.kind() != Kind.KILL_HASHER).toList();

        for (int i = 1; i < oneOffs.size(); i++) {
            Fault previous = oneOffs.get(i - 1);
            assertThat(oneOffs.get(i).at()).as("%s after %s", oneOffs.get(i).describe(), previous.describe())
                    .isGreaterThanOrEqualTo(previous.at().plus(previous.hold()));
        }
    }

    @Test
    void tooShortARunOrTooFewHashersIsRefusedNamingTheFlag() {
        assertThatThrownBy(() -> ChaosSchedule.of(1, Duration.ofSeconds(89), 3)).hasMessageStartingWith("--seconds");
        assertThatThrownBy(() -> ChaosSchedule.of(1, Duration.ofSeconds(90), 1)).hasMessageStartingWith("--hashers");
    }
}
