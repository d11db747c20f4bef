package dev.callchat.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.RoomEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RoomAuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mainWritesOneLinePerHostActionInOrder(@TempDir Path dir) throws Exception {
        assumeTrue(System.getenv("TWILIO_ACCOUNT_SID") == null, "never call the real Twilio from a test");
        Path log = dir.resolve("audit.jsonl");

        RoomAuditLog.main(new String[] {log.toString()});

        List<JsonNode> lines = Files.readAllLines(log).stream().map(RoomAuditLogTest::parse).toList();
        assertThat(lines).extracting(l -> l.path("type").asText())
                .containsExactly("HOST_CHANGED", "ROOM_LOCKED", "PARTICIPANT_BANNED", "ROOM_ENDED");
        assertThat(lines).extracting(l -> l.path("room").asText()).containsOnly("Standup");
        assertThat(lines.get(0).path("participant").asText()).isEqualTo("ana");
        assertThat(lines.get(2).path("participant").asText()).isEqualTo("bob");
        assertThat(lines.get(2).path("by").asText()).isEqualTo("ana");
        assertThat(Files.readString(log)).doesNotContain("token");
    }

    @Test
    void aRedeliveredEventIsWrittenOnce(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("audit.jsonl");
        RoomAuditLog audit = new RoomAuditLog(log);
        RoomEvent event = new RoomEvent("e-1", RoomEvent.Type.ROOM_LOCKED, "Standup", Instant.EPOCH, null, Map.of("by", "ana"));

        audit.accept(event);
        audit.accept(event);

        assertThat(Files.readAllLines(log)).hasSize(1);
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
