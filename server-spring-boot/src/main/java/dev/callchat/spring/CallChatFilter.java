package dev.callchat.spring;

import dev.callchat.core.ErrorKind;
import dev.callchat.core.http.BodyTooLargeException;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpCall;
import dev.callchat.core.http.HttpReply;
import dev.callchat.core.http.Shutdown;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import org.jspecify.annotations.Nullable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands every request below the mount to core's {@link CallChatHttp} and writes its reply, so Spring MVC
 * decides nothing (no 404, 405 or 415 of its own). Requests outside the mount, and the local hub's
 * WebSocket handshake, continue down the application's chain. Runs on the servlet container's
 * request thread, where a login may block on Twilio.
 */
public final class CallChatFilter extends OncePerRequestFilter {
    private static final int UPLOAD_SLOTS = 16;
    private final CallChatHttp http;
    private final String mount;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Uploads being read at once; more are answered 503, so files cannot crowd out logins' memory. */
    private final Semaphore uploadSlots = new Semaphore(UPLOAD_SLOTS);

    /**
     * @param http  the contract
     * @param mount the prefix callchat answers below (such as {@code /video}), or empty for every path
     */
    public CallChatFilter(CallChatHttp http, String mount) {
        this.http = http;
        this.mount = mount;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!mount.isEmpty()) {
            if (path.equals(mount)) {
                // The page's relative links only resolve below /video/.
                String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
                write(response, http.redirect(request.getContextPath() + mount + "/" + query));
                return;
            }
            if (!path.startsWith(mount + "/")) {
                chain.doFilter(request, response);
                return;
            }
            path = path.substring(mount.length());
        }
        if (CallChatHttp.LOCAL_WS_PATH.equals(path) && http.localWebSocketEnabled()
                && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            Optional<HttpReply> refused = http.refuseWebSocket(new ServletCall(request, path, null, null));
            if (refused.isPresent()) {
                write(response, refused.get());
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        if (draining.get()) {
            // Newcomers during a shutdown get core's 503 problem (with Retry-After), not a refused connection.
            write(response, http.problem(ErrorKind.SERVICE_UNAVAILABLE, "The server is shutting down; try again shortly"));
            return;
        }
        int limit = http.maxBodyBytes(path);
        long length = request.getContentLengthLong();
        boolean hasBody = length > 0 || request.getHeader("Transfer-Encoding") != null;
        if (!hasBody || length > limit) {
            // Nothing to read, or too large by its header alone (core answers 413 without reading it).
            inFlight.incrementAndGet();
            try {
                write(response, http.handle(new ServletCall(request, path, hasBody ? new byte[limit + 1] : new byte[0], null)));
            } finally {
                inFlight.decrementAndGet();
            }
            return;
        }
        boolean upload = limit > CallChatHttp.MAX_BODY_BYTES;
        if (upload && !uploadSlots.tryAcquire()) {
            response.setHeader("Connection", "close"); // the unread body would otherwise be drained at the sender's pace
            write(response, http.problem(ErrorKind.SERVICE_UNAVAILABLE,
                    "Too many files are being uploaded right now; try again shortly"));
            return;
        }
        inFlight.incrementAndGet();
        BodyRead read = new BodyRead(request, response, path, limit, upload);
        try {
            read.start(http.bodyDeadline(length, path));
        } catch (IOException | RuntimeException e) {
            if (read.async == null) {
                // Never went async (the container refused): nothing will finish it, so give back what was taken.
                if (upload) {
                    uploadSlots.release();
                }
                inFlight.decrementAndGet();
            } // else its deadline still ends it through onTimeout
            throw e;
        }
    }

    /**
     * Reads a body without holding a thread (the servlet's non-blocking {@link ReadListener}), then answers
     * on the container thread that saw its last byte. A body not complete within its deadline gets a 400
     * problem and the connection closes: a slow sender holds neither a thread nor its buffer longer.
     */
    private final class BodyRead implements ReadListener, AsyncListener {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final String path;
        private final int limit;
        private final boolean upload;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final byte[] chunk = new byte[8192];
        private final AtomicBoolean done = new AtomicBoolean();
        private @Nullable AsyncContext async;
        private ServletInputStream in;

        BodyRead(HttpServletRequest request, HttpServletResponse response, String path, int limit, boolean upload) {
            this.request = request;
            this.response = response;
            this.path = path;
            this.limit = limit;
            this.upload = upload;
        }

        void start(Duration deadline) throws IOException {
            async = request.startAsync();
            async.setTimeout(Math.max(1, deadline.toMillis()));
            async.addListener(this);
            in = request.getInputStream();
            in.setReadListener(this);
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (in.isReady() && !in.isFinished()) {
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                body.write(chunk, 0, Math.min(n, limit + 1 - body.size()));
                if (body.size() > limit) {
                    answer(body.toByteArray(), null); // core answers 413; the rest is never read
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() {
            answer(body.toByteArray(), null);
        }

        @Override
        public void onError(Throwable error) {
            answer(null, error instanceof IOException e ? e : new IOException(error));
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            if (done.compareAndSet(false, true)) {
                response.setHeader("Connection", "close");
                end(http.problem(ErrorKind.BAD_REQUEST, "The request body did not arrive within "
                        + http.bodyDeadline().toMillis() + " ms; the connection is closed"));
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            if (done.compareAndSet(false, true)) {
                finish();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        private void answer(byte @Nullable [] read, @Nullable IOException error) {
            if (done.compareAndSet(false, true)) {
                end(http.handle(new ServletCall(request, path, read, error)));
            }
        }

        private void end(HttpReply reply) {
            try {
                write(response, reply);
            } catch (IOException | RuntimeException gone) {
                // The client went away meanwhile: nobody to answer.
            } finally {
                finish();
            }
        }

        private void finish() {
            try {
                async.complete();
            } finally {
                if (upload) {
                    uploadSlots.release();
                }
                inFlight.decrementAndGet();
            }
        }
    }

    /**
     * Turns newcomers away with a 503 problem and waits for the requests in flight to finish.
     *
     * @param limit the longest wait
     * @return whether every request in flight finished
     */
    boolean drain(Duration limit) {
        draining.set(true);
        return Shutdown.await(() -> inFlight.get() == 0, limit);
    }

    static void write(HttpServletResponse response, HttpReply reply) throws IOException {
        response.setStatus(reply.status());
        reply.headers().forEach(response::setHeader);
        response.setContentLength(reply.body().length);
        response.getOutputStream().write(reply.body());
        // On the wire before Tomcat finishes the request: a body left unread then closes the connection
        // (TomcatProblems), and the client has its answer first.
        response.flushBuffer();
    }

    /** One servlet request as core reads it: the raw path below the mount, headers, the body read ahead. */
    private record ServletCall(HttpServletRequest request, String rawPath, byte @Nullable [] read,
                               @Nullable IOException error) implements HttpCall {
        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(request.getHeader(name));
        }

        @Override
        public String remoteAddress() {
            return request.getRemoteAddr();
        }

        @Override
        public boolean secure() {
            return request.isSecure();
        }

        @Override
        public byte[] body() throws BodyTooLargeException {
            return body(CallChatHttp.MAX_BODY_BYTES);
        }

        @Override
        public byte[] body(int maxBytes) throws BodyTooLargeException {
            if (error != null) {
                throw new UncheckedIOException(error);
            }
            if (read == null) {
                throw new IllegalStateException("core reads no body of a WebSocket upgrade");
            }
            if (read.length > maxBytes) {
                throw new BodyTooLargeException();
            }
            return read;
        }
    }
}
