package dev.callchat.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.CallChatException;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.RoomModeration;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The host's actions on the room their token grants ({@code POST /room/remove}, {@code /room/ban},
 * {@code /room/lock}, {@code /room/unlock}, {@code /room/end}, {@code /room/host}), authorized by
 * {@link RoomModeration} from {@code Authorization: Bearer <token>}. The token is checked before the body is read.
 */
final class RoomActionsEndpoint {
    static final String PREFIX = "/room/";
    static final Map<String, Boolean> ACTIONS = Map.of(
            "remove", true, "ban", true, "host", true, "lock", false, "unlock", false, "end", false);

    private final RoomModeration moderation;
    private final LoginEndpoint json;
    private final ObjectMapper mapper;
    private final Replies replies;

    RoomActionsEndpoint(RoomModeration moderation, LoginEndpoint json, ObjectMapper mapper, Replies replies) {
        this.moderation = moderation;
        this.json = json;
        this.mapper = mapper;
        this.replies = replies;
    }

    static boolean handles(String path) {
        return path.startsWith(PREFIX) && ACTIONS.containsKey(path.substring(PREFIX.length()));
    }

    HttpReply handle(HttpCall call, String action) {
        String token = LocalFilesEndpoint.bearer(call);
        switch (action) {
            case "lock" -> moderation.lock(token);
            case "unlock" -> moderation.unlock(token);
            case "end" -> moderation.end(token);
            case "remove" -> moderation.remove(token, identity(body(call)));
            case "host" -> moderation.handOver(token, identity(body(call)));
            case "ban" -> {
                JsonNode body = body(call);
                String identity = identity(body);
                Instant until = until(body);
                Instant banned = moderation.ban(token, identity, until);
                return replies.json(200, mapper.createObjectNode().put("identity", identity).put("until", banned.toString()));
            }
            default -> throw new IllegalStateException("unrouted action " + action);
        }
        return new HttpReply(204, withNoStore(), new byte[0]);
    }

    private static Map<String, String> withNoStore() {
        Map<String, String> headers = Replies.baseHeaders();
        headers.put("Cache-Control", "no-store");
        return headers;
    }

    private JsonNode body(HttpCall call) {
        LoginEndpoint.requireJson(call.header("Content-Type"), () -> false);
        return json.parse(LoginEndpoint.readBody(call));
    }

    private static String identity(JsonNode body) {
        String identity = LoginEndpoint.text(body, "identity");
        if (identity == null) {
            throw new CallChatException(ErrorKind.BAD_REQUEST, "Name the member: send {\"identity\": \"...\"}");
        }
        return identity;
    }

    private static Instant until(JsonNode body) {
        String until = LoginEndpoint.text(body, "until");
        if (until == null) {
            throw new CallChatException(ErrorKind.BAD_REQUEST, "Say until when: send \"until\" as an ISO-8601 instant"
                    + " such as 2026-12-02T10:00:00Z");
        }
        try {
            return Instant.parse(until);
        } catch (DateTimeParseException e) {
            throw new CallChatException(ErrorKind.BAD_REQUEST, "until must be an ISO-8601 instant such as"
                    + " 2026-12-02T10:00:00Z, not " + LoginEndpoint.printable(until));
        }
    }
}
