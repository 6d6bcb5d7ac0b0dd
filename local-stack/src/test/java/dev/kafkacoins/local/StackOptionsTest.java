package dev.kafkacoins.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StackOptionsTest {

    private static final Ports PORTS = Ports.from(Ports.DEFAULT_BASE, null, null, null);

    @Test
    void rateIsAutoOrAPositiveNumber() {
        assertThat(StackOptions.parseRate("auto")).isNull();
        assertThat(StackOptions.parseRate("AUTO")).isNull();
        assertThat(StackOptions.parseRate("12.5")).isEqualTo(12.5);
        assertThatThrownBy(() -> StackOptions.parseRate("fast"))
                .hasMessage("--rate must be 'auto' or a number of blocks per second, got 'fast'");
        assertThatThrownBy(() -> new StackOptions(2, 6, null, null, 0.0, PORTS)).hasMessageStartingWith("--rate");
    }

    @Test
    void eachOutOfRangeValueNamesItsFlag() {
        assertThatThrownBy(() -> new StackOptions(65, 6, null, null, null, PORTS))
                .hasMessage("--hashers must be between 0 and 64, got 65");
        assertThatThrownBy(() -> new StackOptions(2, 0, null, null, null, PORTS)).hasMessageStartingWith("--partitions");
        assertThatThrownBy(() -> new StackOptions(2, 6, 0, null, null, PORTS)).hasMessageStartingWith("--nonces");
        assertThatThrownBy(() -> new StackOptions(2, 6, 1 << 23, null, null, PORTS)).hasMessageStartingWith("--nonces");
        assertThatThrownBy(() -> new StackOptions(2, 6, null, 7, null, PORTS)).hasMessageStartingWith("--difficulty");
    }

    @Test
    void unsetNoncesAndDifficultyLeaveRngsDefaults() {
        StackOptions options = new StackOptions(2, 6, null, null, null, PORTS);
        assertThat(options.nonces()).isNull();
        assertThat(options.difficulty()).isNull();
    }
}
