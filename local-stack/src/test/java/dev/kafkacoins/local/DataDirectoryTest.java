package dev.kafkacoins.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DataDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void aHomeDirectoryIsRefusedNamingTheFlagAndKeepsItsFiles() throws Exception {
        Path home = Files.createDirectories(temp.resolve("home"));
        Files.writeString(home.resolve(".bashrc"), "export PS1='$ '\n");
        Files.createDirectories(home.resolve("thesis"));

        assertThatThrownBy(() -> DataDirectory.claim(new StackLayout(temp, home)))
                .isInstanceOf(MinerException.class)
                .hasMessage(home + " is not empty and has no " + DataDirectory.MARKER + ", so it is not a miner data "
                        + "directory: pass an empty or new directory with --data-dir (or MINER_DATA)");
        assertThat(home.resolve(".bashrc")).exists();
        assertThat(home.resolve(DataDirectory.MARKER)).doesNotExist();
    }

    @Test
    void aNewDirectoryGetsTheMarkerAndIsTheOwnersOnly() throws Exception {
        StackLayout layout = new StackLayout(temp, temp.resolve("new/data"));
        DataDirectory.claim(layout);
        assertThat(DataDirectory.marker(layout)).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.data()))).isEqualTo("rwx------");
        // and it is accepted the next time, with the stack's files in it
        Files.createDirectories(layout.kafkaLog());
        Files.writeString(layout.data().resolve("anything"), "x");
        DataDirectory.claim(layout);
    }

    @Test
    void aDataDirectoryFromBeforeTheMarkerIsAdopted() throws Exception {
        StackLayout layout = new StackLayout(temp, temp.resolve("data"));
        Files.createDirectories(layout.logs());
        Files.writeString(layout.logs().resolve("build.log"), "BUILD SUCCESS\n");
        Files.createDirectories(layout.postgresData());
        DataDirectory.claim(layout);
        assertThat(DataDirectory.marker(layout)).exists();
    }
}
