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
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.server.annotation.PreMatching;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.Channel;
import jakarta.annotation.PreDestroy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
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

    /** Concurrent core calls (logins wait for Twilio); the same ceiling as the Undertow adapter's workers. */
    static final int WORKER_THREADS = 256;
    /** Uploads being read at once; more are answered 503 with Retry-After. */
    static final int UPLOAD_THREADS = 16;

    private final CallChatHttp http;
    private final String mount;
    private final ThreadPoolExecutor workers = threads("callchat-worker", WORKER_THREADS);
    private final ThreadPoolExecutor uploads = threads("callchat-upload", UPLOAD_THREADS);
    private final Semaphore uploadSlots = new Semaphore(UPLOAD_THREADS);

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
     * Runs on the event loop and never blocks it: a body is read there without a thread waiting for it
     * (within {@link CallChatHttp#bodyDeadline()}, after which the connection is dropped), then core runs
     * on {@link #WORKER_THREADS} threads of callchat's own, since a login may wait for Twilio. An upload
     * is read blocking (core checks its token before a byte is buffered) on {@link #UPLOAD_THREADS}
     * threads of its own, within its own deadline, so slow uploads never hold the threads logins need.
     *
     * @return callchat's reply, or a future of null (continue to the host application) for a path outside the mount
     */
    @RequestFilter
    @PreMatching
    CompletableFuture<@Nullable MutableHttpResponse<?>> answer(HttpRequest<?> request) {
        MicronautCall call = new MicronautCall(request, mount);
        if (!mount.isEmpty()) {
            String path = call.requestPath();
            if (path.equals(mount)) {
                // The page's relative links (login, js/main.js) only resolve below /video/.
                return CompletableFuture.completedFuture(toResponse(http.redirect(mount + "/" + call.rawQuery())));
            }
            if (!path.startsWith(mount + "/")) {
                // A future completed with null is Micronaut's "continue"; a null future itself is a 500.
                return CompletableFuture.completedFuture(null);
            }
        }
        if (request.getHttpVersion() == HttpVersion.HTTP_1_1 && !request.getHeaders().contains(HttpHeaders.HOST)) {
            // HTTP framing, which Netty leaves to the application (RFC 9112, section 3.2: must be 400).
            return CompletableFuture.completedFuture(
                    toResponse(http.problem(ErrorKind.BAD_REQUEST, "An HTTP/1.1 request must have a Host header")));
        }
        String path = call.rawPath();
        int limit = http.maxBodyBytes(path);
        Channel channel = ((NettyHttpRequest<?>) request).getChannelHandlerContext().channel();
        if (limit > CallChatHttp.MAX_BODY_BYTES) {
            return upload(call, channel, path);
        }
        if (!hasBody(request) || request.getContentLength() > limit) {
            // No body to wait for, or too large by its header alone: core answers without reading it.
            MicronautCall ready = request.getContentLength() > limit ? call.withBody(new byte[limit + 1], null) : call;
            return CompletableFuture.supplyAsync(() -> toResponse(http.handle(ready)), workers);
        }
        ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
            channel.close();
        }, http.bodyDeadline().toMillis(), TimeUnit.MILLISECONDS);
        return BodyReader.read(((ServerHttpRequest<?>) request).byteBody(), limit)
                .handle((body, error) -> {
                    deadline.cancel(false);
                    if (error == null) {
                        return call.withBody(body, null);
                    }
                    // Micronaut's own cap (max-request-size) cut a streamed body short: too large, not broken.
                    return causedByLimit(error) ? call.withBody(new byte[limit + 1], null) : call.withBody(null, ioError(error));
                })
                .thenApplyAsync(read -> toResponse(http.handle(read)), workers);
    }

    private CompletableFuture<MutableHttpResponse<?>> upload(MicronautCall call, Channel channel, String path) {
        if (!uploadSlots.tryAcquire()) {
            // Closing: the unread body would otherwise be drained at the sender's pace.
            return CompletableFuture.completedFuture(toResponse(http.problem(ErrorKind.SERVICE_UNAVAILABLE,
                    "Too many files are being uploaded right now; try again shortly")).header(HttpHeaders.CONNECTION, "close"));
        }
        ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
            channel.close();
        }, http.bodyDeadline(call.contentLength(), path).toMillis(), TimeUnit.MILLISECONDS);
        try {
            return CompletableFuture.<MutableHttpResponse<?>>supplyAsync(() -> toResponse(http.handle(call)), uploads)
                    .whenComplete((reply, error) -> {
                        deadline.cancel(false);
                        uploadSlots.release();
                    });
        } catch (RuntimeException rejected) {
            deadline.cancel(false);
            uploadSlots.release();
            throw rejected;
        }
    }

    private static boolean hasBody(HttpRequest<?> request) {
        return request.getContentLength() > 0 || request.getHeaders().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private static boolean causedByLimit(Throwable error) {
        return java.util.stream.Stream.iterate(error, java.util.Objects::nonNull, Throwable::getCause)
                .anyMatch(io.micronaut.http.exceptions.ContentLengthExceededException.class::isInstance);
    }

    private static IOException ioError(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause instanceof IOException io ? io : new IOException("request body not read", cause);
    }

    /** Stops callchat's threads with the server. */
    @PreDestroy
    void close() {
        workers.shutdown();
        uploads.shutdown();
    }

    /**
     * Up to {@code max} threads, made only when no idle one can take the task and retired after 30 s
     * idle; at {@code max}, tasks wait in line. (A plain ThreadPoolExecutor starts a new thread for
     * every task until its core size is reached, idle ones or not.)
     */
    private static ThreadPoolExecutor threads(String name, int max) {
        LinkedTransferQueue<Runnable> queue = new LinkedTransferQueue<>() {
            @Override
            public boolean offer(Runnable task) {
                return tryTransfer(task); // to an idle thread, else the executor adds one
            }
        };
        return new ThreadPoolExecutor(0, max, 30, TimeUnit.SECONDS, queue, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        }, (task, pool) -> {
            if (!pool.isShutdown()) {
                queue.put(task); // all threads busy: wait for one
            }
        });
    }


    static MutableHttpResponse<byte[]> toResponse(HttpReply reply) {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>ok().status(reply.status());
        reply.headers().forEach(response::header);
        response.getHeaders().date(System.currentTimeMillis()); // transport's part, as Micronaut's own responses have
        return reply.body().length == 0 ? response : response.body(reply.body());
    }
}
