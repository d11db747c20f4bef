package dev.callchat.core.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.callchat.core.CallChatException;
import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.config.IceServer;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.RequestContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/** {@code POST /login}: content type, body, JSON shape, then the service; renders the session as snake_case JSON. */
final class LoginEndpoint {
    private final CallSessionService service;
    private final ObjectMapper mapper;
    private final Replies replies;
    private final HttpMeters meters;
    private final OriginPolicy origins;

    LoginEndpoint(CallSessionService service, ObjectMapper mapper, Replies replies, HttpMeters meters,
            OriginPolicy origins) {
        this.service = service;
        this.meters = meters;
        this.mapper = mapper;
        this.replies = replies;
        this.origins = origins;
    }

    /** @throws CallChatException for every refusal; the caller renders it */
    HttpReply login(HttpCall call, long start, Consumer<String> admit) {
        LoginRequest request;
        try {
            request = request(call);
        } catch (CallChatException e) {
            // Refused before the service saw it; the service records every login that reaches it.
            meters.loginRefused(start);
            throw e;
        }
        return render(service.login(request, admit));
    }

    private LoginRequest request(HttpCall call) {
        requireJson(call.header("Content-Type"), () -> origins.plainTextLoginAllowed(call));
        JsonNode json = parse(readBody(call));
        String username = text(json, "username");
        String room = text(json, "room");
        return new LoginRequest(username, room, context(call));
    }

    /**
     * Reads a JSON endpoint's body (login, host actions) within {@link CallChatHttp#MAX_BODY_BYTES}.
     *
     * @throws CallChatException 413 when too large, 400 when cut short
     */
    static byte[] readBody(HttpCall call) {
        try {
            return call.body();
        } catch (BodyTooLargeException e) {
            throw new CallChatException(ErrorKind.PAYLOAD_TOO_LARGE,
                    "The request body must be at most " + CallChatHttp.MAX_BODY_BYTES + " bytes");
        } catch (UncheckedIOException e) {
            // The client sent less than it announced, or went away mid-body: its request, not our failure.
            throw new CallChatException(ErrorKind.BAD_REQUEST, "The request body could not be read completely");
        }
    }

    private HttpReply render(CallSession session) {
        ObjectNode out = mapper.createObjectNode()
                .put("token", session.token())
                .put("conversation_sid", session.conversationSid())
                .put("room", session.room())
                .put("identity", session.identity())
                .put("expires_at", session.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("chat", session.chat())
                .put("chat_status", session.chatStatus().wireName())
                .put("provider", session.provider())
                .put("role", session.role().wireName())
                .put("host", session.host());
        ArrayNode ice = out.putArray("ice_servers");
        for (IceServer server : session.iceServers()) {
            ObjectNode entry = ice.addObject();
            server.urls().forEach(entry.putArray("urls")::add);
            if (server.username() != null) {
                entry.put("username", server.username()).put("credential", server.credential());
            }
        }
        return replies.json(200, out);
    }

    /**
     * JSON, or JSON sent as {@code text/plain} by a page of this very server: the original tutorial's
     * {@code fetch('/login', {method: 'POST', body: JSON.stringify({username})})} sets no type, so browsers
     * send {@code text/plain;charset=UTF-8}. A cross-site page can send that too without a CORS
     * preflight, so it is accepted only when {@code sameOrigin} proves where it came from.
     */
    static void requireJson(Optional<String> contentType, java.util.function.BooleanSupplier sameOrigin) {
        String value = contentType.orElseThrow(() -> unsupported("A Content-Type of application/json is required"));
        String[] parts = value.split(";");
        String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
        boolean json = mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
        if (!json && mediaType.equals("text/plain") && !sameOrigin.getAsBoolean()) {
            throw unsupported("The body must be JSON (Content-Type: application/json); text/plain is accepted only "
                    + "from this server's own pages");
        }
        if (!json && !mediaType.equals("text/plain")) {
            throw unsupported("The body must be JSON (Content-Type: application/json), not " + printable(mediaType));
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param.length == 2 && param[0].strip().equalsIgnoreCase("charset")) {
                String charset = param[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw unsupported("JSON must be encoded as UTF-8, not " + printable(charset));
                }
            }
        }
    }

    JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw bad("The request body is empty; send {\"username\": \"...\"}");
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            throw bad("The JSON is nested too deeply");
        } catch (JsonProcessingException e) {
            // Jackson's original message names the problem (duplicate field, bad UTF-8, trailing data)
            // without echoing more than a few characters of input.
            throw bad("Malformed JSON: " + printable(e.getOriginalMessage()));
        } catch (IOException e) {
            throw bad("Malformed JSON");
        }
        if (json == null || json.isMissingNode()) {
            throw bad("The request body is empty; send {\"username\": \"...\"}");
        }
        if (!json.isObject()) {
            throw bad("The body must be a JSON object such as {\"username\": \"...\"}");
        }
        return json;
    }

    /** @return the field's string value, or null when absent or JSON null */
    static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw bad(field + " must be a string");
        }
        return node.textValue();
    }

    private static RequestContext context(HttpCall call) {
        return new RequestContext() {
            @Override
            public Optional<String> header(String name) {
                return call.header(name);
            }

            @Override
            public String remoteAddress() {
                return call.remoteAddress();
            }
        };
    }

    /** Keeps echoed client input short and free of control characters. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(120).forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return out.toString();
    }

    private static CallChatException bad(String detail) {
        return new CallChatException(ErrorKind.BAD_REQUEST, detail);
    }

    private static CallChatException unsupported(String detail) {
        return new CallChatException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, detail);
    }
}
