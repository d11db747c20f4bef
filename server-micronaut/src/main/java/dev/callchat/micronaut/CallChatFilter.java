package dev.callchat.micronaut;

import dev.callchat.core.ErrorKind;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpReply;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpVersion;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.annotation.PreMatching;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import static io.micronaut.http.annotation.Filter.MATCH_ALL_PATTERN;

/**
 * Answers every HTTP request with {@link CallChatHttp#handle} (or, with {@code callchat.path} set, every
 * request below that prefix, leaving the rest to the application callchat is embedded in). A
 * pre-matching filter rather than a controller: it answers before Micronaut routes at all, so Micronaut's own decisions (404, 405, 406,
 * 415, body decoding) never come into play. It does not run for WebSocket handshakes (Micronaut's
 * upgrade handler takes those to {@link LocalWebSocket}) nor for Micronaut's error handling, whose few
 * remaining cases {@link ProblemErrorResponses} renders.
 */
@ServerFilter(MATCH_ALL_PATTERN)
class CallChatFilter {
    /** The property naming the path prefix callchat is served under inside a larger application. */
    static final String MOUNT_PROPERTY = "callchat.path";

    private final CallChatHttp http;
    private final String mount;

    /**
     * @param http  the contract
     * @param mount {@code callchat.path}: empty to answer every request (the standalone server), or a prefix
     *              such as {@code /video} to answer only below it and leave every other path to the
     *              application callchat is embedded in
     */
    CallChatFilter(CallChatHttp http, @Value("${" + MOUNT_PROPERTY + ":}") String mount) {
        this.http = http;
        this.mount = CallChatHttp.normalizedMount(mount);
    }

    /**
     * Runs on the blocking pool: a login may wait for Twilio, and reading the body blocks.
     *
     * @return callchat's reply, or null (continue to the host application) for a path outside the mount
     */
    @RequestFilter
    @PreMatching
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> answer(HttpRequest<?> request) {
        MicronautCall call = new MicronautCall(request, mount);
        if (!mount.isEmpty()) {
            String path = call.requestPath();
            if (path.equals(mount)) {
                // The page's relative links (login, js/main.js) only resolve below /video/.
                return toResponse(http.redirect(mount + "/" + call.rawQuery()));
            }
            if (!path.startsWith(mount + "/")) {
                return null;
            }
        }
        if (request.getHttpVersion() == HttpVersion.HTTP_1_1 && !request.getHeaders().contains(HttpHeaders.HOST)) {
            // HTTP framing, which Netty leaves to the application (RFC 9112, section 3.2: must be 400).
            return toResponse(http.problem(ErrorKind.BAD_REQUEST, "An HTTP/1.1 request must have a Host header"));
        }
        return toResponse(http.handle(call));
    }

    static MutableHttpResponse<byte[]> toResponse(HttpReply reply) {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>ok().status(reply.status());
        reply.headers().forEach(response::header);
        response.getHeaders().date(System.currentTimeMillis()); // transport's part, as Micronaut's own responses have
        return reply.body().length == 0 ? response : response.body(reply.body());
    }
}
