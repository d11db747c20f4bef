package dev.callchat.micronaut;

import dev.callchat.core.ErrorKind;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpReply;
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
 * Answers every HTTP request with {@link CallChatHttp#handle}. A pre-matching filter rather than a
 * controller: it answers before Micronaut routes at all, so Micronaut's own decisions (404, 405, 406,
 * 415, body decoding) never come into play. It does not run for WebSocket handshakes (Micronaut's
 * upgrade handler takes those to {@link LocalWebSocket}) nor for Micronaut's error handling, whose few
 * remaining cases {@link ProblemErrorResponses} renders.
 */
@ServerFilter(MATCH_ALL_PATTERN)
class CallChatFilter {
    private final CallChatHttp http;

    CallChatFilter(CallChatHttp http) {
        this.http = http;
    }

    /** Runs on the blocking pool: a login may wait for Twilio, and reading the body blocks. */
    @RequestFilter
    @PreMatching
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<?> answer(HttpRequest<?> request) {
        if (request.getHttpVersion() == HttpVersion.HTTP_1_1 && !request.getHeaders().contains(HttpHeaders.HOST)) {
            // HTTP framing, which Netty leaves to the application (RFC 9112, section 3.2: must be 400).
            return toResponse(http.problem(ErrorKind.BAD_REQUEST, "An HTTP/1.1 request must have a Host header"));
        }
        return toResponse(http.handle(new MicronautCall(request)));
    }

    static MutableHttpResponse<byte[]> toResponse(HttpReply reply) {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>ok().status(reply.status());
        reply.headers().forEach(response::header);
        response.getHeaders().date(System.currentTimeMillis()); // transport's part, as Micronaut's own responses have
        return reply.body().length == 0 ? response : response.body(reply.body());
    }
}
