package dev.callchat.examples;

// embed:audit-imports
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.RoomEvent;
import dev.callchat.core.RoomEvents;
import dev.callchat.core.config.Config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
// end:audit-imports

/**
 * The room-events example of docs/embedding.md: an audit log of what happens in rooms, one JSON line
 * per event, that drops redelivered events by their id.
 */
public final class RoomAuditLog implements RoomEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    // embed:audit-listener
    /** The ids of the last 10,000 events written: delivery is at least once, so a redelivery is dropped. */
    private final Map<String, Boolean> seen = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 10_000;
        }
    };

    @Override
    public void accept(RoomEvent event) {   // called on one callchat thread, never on a login or the hub
        if (seen.putIfAbsent(event.id(), Boolean.TRUE) != null) {
            return;
        }
        ObjectNode line = JSON.createObjectNode()
                .put("id", event.id())
                .put("at", event.at().toString())
                .put("room", event.room())
                .put("type", event.type().name())
                .put("participant", event.participant());
        event.details().forEach(line::put);   // who acted, ban end, message id, file name...; no chat text
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            seen.remove(event.id());
            throw new UncheckedIOException(e);   // callchat delivers the event again
        }
    }
    // end:audit-listener

    /**
     * @param file where to append the log; created when missing
     */
    public RoomAuditLog(Path file) {
        this.file = file;
    }

    /**
     * Ana and Bob meet; Ana, first in and so the host, locks the room, bans Bob for ten minutes and ends the call.
     * The audit log records each step.
     *
     * @param args the log file's path, {@code room-audit.jsonl} when absent
     */
    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "room-audit.jsonl");
        // embed:audit-service
        try (CallSessionService calls = CallSessionService.builder(Config.fromEnvironment())
                .roomEvents(new RoomAuditLog(file))
                .build()) {
            String ana = calls.login(LoginRequest.of("ana", "Standup")).token();   // first in: the host
            calls.login(LoginRequest.of("bob", "Standup"));
            calls.moderation().lock(ana);
            calls.moderation().ban(ana, "bob", Instant.now().plusSeconds(600));
            calls.moderation().end(ana);
        }   // close() delivers what is still queued
        // end:audit-service
    }
}
