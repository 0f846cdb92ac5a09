package dev.sluice.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.exec.WarehouseLock;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerAddressTest {
    private static final String HOST = WarehouseLock.host();

    @Test
    void aLiveServerOfThisHostIsFound() {
        long pid = ProcessHandle.current().pid();
        assertThat(ServerAddress.parse("pid " + pid + " on host " + HOST + " since 2026-12-05T01:02:03; serving "
                + "Flight SQL on 127.0.0.1:47470")).contains(new ServerAddress("127.0.0.1", 47470));
    }

    @Test
    void aDeadServerARunOrNothingIsNoServer() {
        long dead = ProcessHandle.current().pid() + 1_000_000;
        assertThat(ServerAddress.parse("pid " + dead + " on host " + HOST + " since 2026-12-05T01:02:03; serving "
                + "Flight SQL on 127.0.0.1:47470")).isEmpty();
        assertThat(ServerAddress.parse("pid 12 on host " + HOST + " since 2026-12-05T01:02:03")).isEmpty();
        assertThat(ServerAddress.parse(null)).isEmpty();
    }

    @Test
    void aServerOfAnotherHostIsTrusted() {
        assertThat(ServerAddress.parse("pid 1 on host elsewhere-" + HOST + " since 2026-12-05T01:02:03; serving "
                + "Flight SQL on db.example:5000")).contains(new ServerAddress("db.example", 5000));
    }

    @Test
    void aFolderWithoutAProjectHasNoServer(@TempDir Path dir) {
        assertThat(ServerAddress.of(dir)).isEmpty();
        assertThat(new ServerAddress("h", 1).note()).isEqualTo("serving Flight SQL on h:1");
        assertThatThrownBy(() -> new ServerAddress("h", 0)).hasMessageContaining("port 0 is not a TCP port");
    }

    @Test
    void passwordHashesVerify() {
        String hash = PasswordHash.hash("s3cret");
        assertThat(PasswordHash.valid(hash)).isTrue();
        assertThat(PasswordHash.matches("s3cret", hash)).isTrue();
        assertThat(PasswordHash.matches("s3cret!", hash)).isFalse();
        assertThat(PasswordHash.valid("pbkdf2-sha256:1:!!:??")).isFalse();
        assertThat(PasswordHash.valid("md5:1:a:b")).isFalse();
    }
}
