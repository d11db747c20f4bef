package dev.callchat.testing;

import dev.callchat.testing.reliability.SecretScan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The log-hygiene scan can fail: it sees JWTs and literal secrets, and nothing else. */
class SecretScanTest {
    private final SecretScan scan = new SecretScan(List.of("s3cret-value"));

    @Test
    void aJwtAnywhereInALineIsALeak() {
        assertThat(scan.leaks("token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlLV8 issued"))
                .containsExactly("JWT");
    }

    @Test
    void aLiteralSecretIsALeak() {
        assertThat(scan.leaks("Basic auth with s3cret-value failed")).containsExactly("secret #0");
    }

    @Test
    void theFirstTwoPartsOfAJwtAndOrdinaryLinesAreNot() {
        assertThat(scan.leaks("header eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ only")).isEmpty();
        assertThat(scan.leaks("Chat is unavailable; issuing a video-only token for room 'My Room'")).isEmpty();
    }
}
