package dev.callchat.spring;

import dev.callchat.core.http.AdapterCall;
import dev.callchat.core.http.Admission;
import dev.callchat.core.http.BodyBuffer;
import dev.callchat.core.http.BodySource;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpReply;
import dev.callchat.core.http.InFlight;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
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
        Admission admission = Admission.of(http, inFlight, call, request.getContentLengthLong());
        if (admission.answer().isPresent()) {
            write(response, admission.answer().get());
            return;
        }
        AsyncContext async;
        try {
            async = request.startAsync();
        } catch (RuntimeException e) {
            admission.finish(); // never went async: nothing else would give the counts back
            throw e;
        }
        async.setTimeout(0); // the admission's own deadline ends a body that does not arrive
        admission.whenReplied(reply -> {
            try {
                write(response, reply);
            } finally {
                async.complete();
            }
        });
        ServletInputStream in = request.getInputStream();
        in.setReadListener(new BodyReader(in, admission.body()));
    }

    /**
     * Reads a body without holding a thread (the servlet's non-blocking {@link ReadListener}) into core's
     * {@link BodyBuffer}; core answers on the container thread that saw its last byte.
     */
    private static final class BodyReader implements ReadListener {
        private final ServletInputStream in;
        private final BodyBuffer body;
        private final byte[] chunk = new byte[8192];

        BodyReader(ServletInputStream in, BodyBuffer body) {
            this.in = in;
            this.body = body;
        }

        @Override
        public void onDataAvailable() throws IOException {
            int n;
            while (in.isReady() && (n = in.read(chunk)) >= 0) {
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
    }

    /** Turns newcomers away with a 503 problem and waits (boundedly) for the requests in flight to finish. */
    void drain() {
        inFlight.drain();
    }

    private static void write(HttpServletResponse response, HttpReply reply) {
        response.setStatus(reply.status());
        reply.headers().forEach(response::setHeader);
        response.setContentLength(reply.body().length);
        try {
            response.getOutputStream().write(reply.body());
            // On the wire before Tomcat finishes the request: a body left unread then closes the connection
            // (see CallChatAutoConfiguration), and the client has its answer first.
            response.flushBuffer();
        } catch (IOException gone) {
            // The client went away meanwhile: nobody to answer.
        }
    }
}
