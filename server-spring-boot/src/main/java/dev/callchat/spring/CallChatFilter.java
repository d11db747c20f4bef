package dev.callchat.spring;

import dev.callchat.core.ErrorKind;
import dev.callchat.core.http.AdapterCall;
import dev.callchat.core.http.BodyBuffer;
import dev.callchat.core.http.BodySource;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpReply;
import dev.callchat.core.http.InFlight;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Hands every request below the mount to core's {@link CallChatHttp} and writes its reply, so Spring MVC
 * decides nothing (no 404, 405 or 415 of its own). Requests outside the mount, and the local hub's
 * WebSocket handshake, continue down the application's chain. Runs on the servlet container's
 * request thread, where a login may block on Twilio.
 */
public final class CallChatFilter extends OncePerRequestFilter {
    private final CallChatHttp http;
    private final String mount;
    private final InFlight inFlight;

    /**
     * @param http  the contract
     * @param mount the prefix callchat answers below (such as {@code /video}), or empty for every path
     */
    public CallChatFilter(CallChatHttp http, String mount) {
        this.http = http;
        this.mount = mount;
        this.inFlight = new InFlight(http);
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
        AdapterCall call = new AdapterCall(request.getMethod(), path, request::getHeader, request.getRemoteAddr(),
                request.isSecure(), BodySource.none());
        if (CallChatHttp.LOCAL_WS_PATH.equals(path) && http.localWebSocketEnabled()
                && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            Optional<HttpReply> refused = http.refuseWebSocket(call);
            if (refused.isPresent()) {
                write(response, refused.get());
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        Optional<HttpReply> goingAway = inFlight.enter();
        if (goingAway.isPresent()) {
            write(response, goingAway.get());
            return;
        }
        int limit = http.maxBodyBytes(path);
        long length = request.getContentLengthLong();
        boolean hasBody = length > 0 || request.getHeader("Transfer-Encoding") != null;
        if (!hasBody || length > limit) {
            // Nothing to read, or too large by its header alone (core answers 413 without reading it).
            try {
                write(response, http.handle(hasBody ? call.withBody(BodySource.tooLarge()) : call));
            } finally {
                inFlight.exit();
            }
            return;
        }
        boolean upload = limit > CallChatHttp.MAX_BODY_BYTES;
        Optional<HttpReply> busy = upload ? inFlight.enterUpload() : Optional.empty();
        if (busy.isPresent()) {
            inFlight.exit();
            response.setHeader("Connection", "close"); // the unread body would otherwise be drained at the sender's pace
            write(response, busy.get());
            return;
        }
        BodyRead read;
        try {
            read = new BodyRead(request, response, call, new BodyBuffer(limit), upload);
        } catch (IOException | RuntimeException e) {
            // Never went async (the container refused): nothing will finish it, so give back what was taken.
            if (upload) {
                inFlight.exitUpload();
            }
            inFlight.exit();
            throw e;
        }
        read.start(http.bodyDeadline(length, path)); // once async, its deadline ends it even if this throws
    }

    /**
     * Reads a body without holding a thread (the servlet's non-blocking {@link ReadListener}) into core's
     * {@link BodyBuffer}, then answers on the container thread that saw its last byte. A body not complete
     * within its deadline gets a 400 problem and the connection closes: a slow sender holds neither a thread
     * nor its buffer longer.
     */
    private final class BodyRead implements ReadListener, AsyncListener {
        private final HttpServletResponse response;
        private final BodyBuffer body;
        private final boolean upload;
        private final byte[] chunk = new byte[8192];
        private final AsyncContext async;
        private final ServletInputStream in;

        BodyRead(HttpServletRequest request, HttpServletResponse response, AdapterCall call, BodyBuffer body,
                 boolean upload) throws IOException {
            this.response = response;
            this.body = body;
            this.upload = upload;
            this.async = request.startAsync();
            this.in = request.getInputStream();
            body.done().thenAccept(read -> end(http.handle(call.withBody(read))));
        }

        void start(Duration deadline) {
            async.setTimeout(Math.max(1, deadline.toMillis()));
            async.addListener(this);
            in.setReadListener(this);
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (in.isReady() && !in.isFinished()) {
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                if (body.append(chunk, 0, n)) {
                    body.end(); // core answers 413; the rest is never read
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() {
            body.end();
        }

        @Override
        public void onError(Throwable error) {
            body.fail(error);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            if (body.abandon()) {
                response.setHeader("Connection", "close");
                end(http.problem(ErrorKind.BAD_REQUEST, "The request body did not arrive within "
                        + http.bodyDeadline().toMillis() + " ms; the connection is closed"));
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            if (body.abandon()) {
                finish();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
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
                    inFlight.exitUpload();
                }
                inFlight.exit();
            }
        }
    }

    /** Turns newcomers away with a 503 problem and waits (boundedly) for the requests in flight to finish. */
    void drain() {
        inFlight.drain();
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
}
