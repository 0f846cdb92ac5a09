package dev.sluice.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class S3ServerTest {
    @Test
    void putsListsAndReadsObjectsAndRestarts() {
        try (S3Server server = S3Server.start("lake")) {
            server.put("lake", "in/a.csv", "id\n1\n");
            assertThat(server.keys("lake", "in/")).containsExactly("in/a.csv");
            server.stop();
            server.startAgain();
            assertThat(server.get("lake", "in/a.csv")).isEqualTo("id\n1\n");
        }
    }
}
