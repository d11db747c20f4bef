package dev.callchat.micronaut;

import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpReply;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import static io.micronaut.http.annotation.Filter.MATCH_ALL_PATTERN;

/**
 * Answers every request with {@link CallChatHttp#handle}. A filter rather than a controller: it runs
 * for matched and unmatched paths alike (and for WebSocket handshakes that found no endpoint), so
 * Micronaut's own routing decisions (404, 405, 406, 415, body decoding) never come into play. The one
 * request it lets through is the handshake of the local provider's WebSocket.
 */
@ServerFilter(MATCH_ALL_PATTERN)
class CallChatFilter {
    private final CallChatHttp http;

    CallChatFilter(CallChatHttp http) {
        this.http = http;
    }

    /** Runs on the blocking pool: a login may wait for Twilio, and reading the body blocks. */
    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> answer(HttpRequest<?> request) {
        if (http.localWebSocketEnabled() && isWebSocketUpgrade(request)
                && CallChatHttp.LOCAL_WS_PATH.equals(request.getPath())) {
            return null; // proceed to LocalWebSocket
        }
        return toResponse(http.handle(new MicronautCall(request)));
    }

    static MutableHttpResponse<byte[]> toResponse(HttpReply reply) {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>ok().status(reply.status());
        reply.headers().forEach(response::header);
        return reply.body().length == 0 ? response : response.body(reply.body());
    }

    /** The same test Micronaut's upgrade handler applies, so both agree on which requests are handshakes. */
    private static boolean isWebSocketUpgrade(HttpRequest<?> request) {
        return hasToken(request, "Connection", "upgrade") && hasToken(request, "Upgrade", "websocket");
    }

    private static boolean hasToken(HttpRequest<?> request, String header, String token) {
        return request.getHeaders().getAll(header).stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .anyMatch(value -> value.strip().equalsIgnoreCase(token));
    }
}
