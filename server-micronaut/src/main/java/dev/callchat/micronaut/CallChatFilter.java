package dev.callchat.micronaut;

import dev.callchat.core.ErrorKind;
import dev.callchat.core.http.AdapterCall;
import dev.callchat.core.http.BodySource;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.Framing;
import dev.callchat.core.http.HttpReply;
import dev.callchat.core.http.InFlight;
import dev.callchat.core.http.Threads;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpVersion;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.annotation.PreMatching;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.Channel;
import jakarta.annotation.PreDestroy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

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
    private final InFlight inFlight;
    private final ExecutorService workers = Threads.pool("callchat-worker", Threads.WORKERS);
    private final ExecutorService uploads = Threads.pool("callchat-upload", InFlight.UPLOAD_SLOTS);

    /**
     * @param http  the contract
     * @param mount {@code callchat.path}: empty to answer every request (the standalone server), or a prefix
     *              such as {@code /video} to answer only below it and leave every other path to the
     *              application callchat is embedded in
     */
    CallChatFilter(CallChatHttp http, @Value("${" + MOUNT_PROPERTY + ":}") String mount) {
        this.http = http;
        this.mount = CallChatHttp.normalizedMount(mount);
        this.inFlight = new InFlight(http);
    }

    /**
     * Runs on the event loop and never blocks it: a body is read there without a thread waiting for it
     * (within {@link CallChatHttp#bodyDeadline()}, after which the connection is dropped), then core runs
     * on {@link Threads#WORKERS} threads of callchat's own, since a login may wait for Twilio. An upload
     * is read blocking (core checks its token before a byte is buffered) on {@link InFlight#UPLOAD_SLOTS}
     * threads of its own, within its own deadline, so slow uploads never hold the threads logins need.
     *
     * @return callchat's reply, or a future of null (continue to the host application) for a path outside the mount
     */
    @RequestFilter
    @PreMatching
    CompletableFuture<@Nullable MutableHttpResponse<?>> answer(HttpRequest<?> request) {
        if (!mount.isEmpty()) {
            String path = MicronautCall.requestPath(request);
            if (path.equals(mount)) {
                // The page's relative links (login, js/main.js) only resolve below /video/.
                return done(http.redirect(mount + "/" + MicronautCall.rawQuery(request)));
            }
            if (!path.startsWith(mount + "/")) {
                // A future completed with null is Micronaut's "continue"; a null future itself is a 500.
                return CompletableFuture.completedFuture(null);
            }
        }
        if (request.getHttpVersion() == HttpVersion.HTTP_1_1 && !request.getHeaders().contains(HttpHeaders.HOST)) {
            // HTTP framing, which Netty leaves to the application.
            return done(http.problem(ErrorKind.BAD_REQUEST, Framing.MISSING_HOST));
        }
        AdapterCall call = MicronautCall.of(request, mount);
        int limit = http.maxBodyBytes(call.rawPath());
        Channel channel = ((NettyHttpRequest<?>) request).getChannelHandlerContext().channel();
        if (limit > CallChatHttp.MAX_BODY_BYTES) {
            return upload(call, channel, request.getContentLength());
        }
        boolean hasBody = request.getContentLength() > 0 || request.getHeaders().contains(HttpHeaders.TRANSFER_ENCODING);
        if (!hasBody || request.getContentLength() > limit) {
            // No body to wait for, or too large by its header alone: core answers without reading it.
            AdapterCall ready = call.withBody(hasBody ? BodySource.tooLarge() : BodySource.none());
            return CompletableFuture.supplyAsync(() -> toResponse(http.handle(ready)), workers);
        }
        ScheduledFuture<?> deadline = dropAfter(channel, http.bodyDeadline());
        return BodyReader.read(((ServerHttpRequest<?>) request).byteBody(), limit)
                .thenApplyAsync(body -> {
                    deadline.cancel(false);
                    return toResponse(http.handle(call.withBody(body)));
                }, workers);
    }

    private CompletableFuture<@Nullable MutableHttpResponse<?>> upload(AdapterCall call, Channel channel, long length) {
        Optional<HttpReply> busy = inFlight.enterUpload();
        if (busy.isPresent()) {
            // Closing: the unread body would otherwise be drained at the sender's pace.
            return CompletableFuture.completedFuture(toResponse(busy.get()).header(HttpHeaders.CONNECTION, "close"));
        }
        ScheduledFuture<?> deadline = dropAfter(channel, http.bodyDeadline(length, call.rawPath()));
        try {
            return CompletableFuture.<@Nullable MutableHttpResponse<?>>supplyAsync(() -> toResponse(http.handle(call)), uploads)
                    .whenComplete((reply, error) -> {
                        deadline.cancel(false);
                        inFlight.exitUpload();
                    });
        } catch (RuntimeException rejected) {
            deadline.cancel(false);
            inFlight.exitUpload();
            throw rejected;
        }
    }

    /** Closes the connection unless the body is in by then: a slow sender holds no thread or buffer longer. */
    private static ScheduledFuture<?> dropAfter(Channel channel, Duration deadline) {
        return channel.eventLoop().schedule(() -> {
            channel.close();
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static CompletableFuture<@Nullable MutableHttpResponse<?>> done(HttpReply reply) {
        return CompletableFuture.completedFuture(toResponse(reply));
    }

    /** Stops callchat's threads with the server. */
    @PreDestroy
    void close() {
        workers.shutdown();
        uploads.shutdown();
    }

    static MutableHttpResponse<byte[]> toResponse(HttpReply reply) {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>ok().status(reply.status());
        reply.headers().forEach(response::header);
        response.getHeaders().date(System.currentTimeMillis()); // transport's part, as Micronaut's own responses have
        return reply.body().length == 0 ? response : response.body(reply.body());
    }
}
