package dev.callchat.core.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.callchat.core.spi.RoomSignals;
import dev.callchat.core.spi.SharedFile;

import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads client frames and writes server frames of protocol v1 (docs/local-protocol.md). */
final class Frames {
    static final int PROTOCOL = 1;

    private final ObjectMapper json;

    Frames(ObjectMapper json) {
        this.json = json;
    }

    /** @return the frame as a JSON object with a text {@code type}, or empty when it is anything else */
    Optional<ObjectNode> parse(String frame) {
        try {
            JsonNode node = json.readTree(frame);
            if (node instanceof ObjectNode object && object.path("type").isTextual()) {
                return Optional.of(object);
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    String welcome(String identity, String room, boolean video, boolean chat, Map<String, Boolean> participants,
                   List<ChatMessage> history, boolean more, long read, long maxUpload, RoomSignals.Status status) {
        ObjectNode frame = type("welcome");
        frame.put("protocol", PROTOCOL);
        frame.put("identity", identity);
        frame.put("room", room);
        frame.put("video", video);
        frame.put("chat", chat);
        ArrayNode people = frame.putArray("participants");
        participants.forEach((who, hasVideo) -> people.addObject().put("identity", who).put("video", hasVideo));
        messages(frame.putArray("history"), history);
        frame.put("more", more);
        frame.put("read", read);
        frame.put("max_upload", maxUpload);
        frame.put("host", status.host());
        frame.put("locked", status.locked());
        return write(frame);
    }

    String typing(String identity) {
        return write(type("typing").put("identity", identity));
    }

    String joined(String identity, boolean video) {
        return write(type("joined").put("identity", identity).put("video", video));
    }

    String left(String identity) {
        return write(type("left").put("identity", identity));
    }

    String chat(ChatMessage message) {
        ObjectNode frame = type("chat");
        message(frame, message);
        return write(frame);
    }

    String signal(String from, JsonNode data) {
        ObjectNode frame = type("signal").put("from", from);
        frame.set("data", data);
        return write(frame);
    }

    String history(List<ChatMessage> messages, boolean more) {
        ObjectNode frame = type("history");
        messages(frame.putArray("messages"), messages);
        frame.put("more", more);
        return write(frame);
    }

    String error(String code, String message) {
        return write(type("error").put("code", code).put("message", message));
    }

    /** Tells a chat-only member that a video place is free (first to send {@code take_video} gets it). */
    String videoSlot() {
        return write(type("video_slot"));
    }

    /** Answers {@code take_video}: this member now has video and should offer to every video member. */
    String promoted() {
        return write(type("promoted"));
    }

    /** Who hosts the room now and whether it is locked. */
    String room(RoomSignals.Status status) {
        return write(type("room").put("host", status.host()).put("locked", status.locked()));
    }

    /** Why the hub is about to close this member's connection (the close code says it too). */
    String moderated(RoomSignals.Refusal reason, String message) {
        return write(type("moderated").put("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                .put("message", message));
    }

    String pong() {
        return write(type("pong"));
    }

    private void messages(ArrayNode array, Collection<ChatMessage> messages) {
        messages.forEach(m -> message(array.addObject(), m));
    }

    private static void message(ObjectNode node, ChatMessage m) {
        node.put("id", m.id()).put("author", m.author()).put("text", m.text()).put("at", m.at().toString());
        if (m.file() != null) {
            SharedFile f = m.file();
            node.putObject("file").put("id", f.id()).put("name", f.name()).put("type", f.contentType())
                    .put("size", f.size()).put("image", f.image());
        }
    }

    private ObjectNode type(String type) {
        return json.createObjectNode().put("type", type);
    }

    private String write(ObjectNode frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
