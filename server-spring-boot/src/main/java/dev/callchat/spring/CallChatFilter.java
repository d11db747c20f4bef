package dev.callchat.spring;

import dev.callchat.core.ErrorKind;
import dev.callchat.core.http.BodyTooLargeException;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpCall;
import dev.callchat.core.http.HttpReply;
import dev.callchat.core.http.Shutdown;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands every request below the mount to core's {@link CallChatHttp} and writes its reply, so Spring MVC
 * decides nothing (no 404, 405 or 415 of its own). Requests outside the mount, and the local hub's
 * WebSocket handshake, continue down the application's chain. Runs on the servlet container's
 * request thread, where a login may block on Twilio.
 */
public final class CallChatFilter extends OncePerRequestFilter {
    private final CallChatHttp http;
    private final String mount;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();

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
            chain.doFilter(request, response);
            return;
        }
        if (draining.get()) {
            // Newcomers during a shutdown get core's 503 problem (with Retry-After), not a refused connection.
            write(response, http.problem(ErrorKind.SERVICE_UNAVAILABLE, "The server is shutting down; try again shortly"));
            return;
        }
        inFlight.incrementAndGet();
        try {
            write(response, http.handle(new ServletCall(request, path)));
        } finally {
            inFlight.decrementAndGet();
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
    }

    /** One servlet request as core reads it: the raw path below the mount, headers, a bounded body. */
    private record ServletCall(HttpServletRequest request, String rawPath) implements HttpCall {
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
        public byte[] body() throws BodyTooLargeException {
            return body(CallChatHttp.MAX_BODY_BYTES);
        }

        @Override
        public byte[] body(int maxBytes) throws BodyTooLargeException {
            try {
                return HttpCall.readLimited(request.getContentLengthLong(), request.getInputStream(), maxBytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
