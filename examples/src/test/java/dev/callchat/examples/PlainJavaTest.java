package dev.callchat.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PlainJavaTest {
    @Test
    void mainLogsAnaIntoMyRoomAndPrintsTheSessionWithoutItsToken() {
        assumeTrue(System.getenv("TWILIO_ACCOUNT_SID") == null, "never call the real Twilio from a test");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            PlainJava.main(new String[0]);
        } finally {
            System.setOut(original);
        }

        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("CallSession[identity=ana, room=My Room, ")
                .contains("chat=true", "provider=local", "token=<redacted>");
    }
}
