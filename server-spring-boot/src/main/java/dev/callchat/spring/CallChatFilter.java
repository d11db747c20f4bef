package dev.callchat.spring;

import dev.callchat.core.http.AdapterCall;
import dev.callchat.core.http.Admission;
import dev.callchat.core.http.BodySource;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.Gate;
import dev.callchat.core.http.HttpReply;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Hands every request below the mount to core's {@link CallChatHttp} and writes its reply, so Spring MVC
 * decides nothing (no 404, 405 or 415 of its own). Requests outside the mount, and the local hub's
 * WebSocket handshake, continue down the application's chain. Runs on the servlet container's
 * request thread, where a login may block on Twilio.
 */
public final class CallChatFilter extends OncePerRequestFilter {
    private final Gate gate;

    /**
     * @param http  the contract
     * @param mount the prefix callchat answers below (such as {@code /video}), or empty for every path
     */
    public CallChatFilter(CallChatHttp http, String mount) {
        this.gate = new Gate(http, mount);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        AdapterCall call = new AdapterCall(request.getMethod(), path, request::getHeader, request.getRemoteAddr(),
                request.isSecure(), BodySource.none());
        Admission admission = gate.admit(call, request.getContextPath(), request.getQueryString(),
                request.getContentLengthLong());
        if (admission.passOn()) {
            chain.doFilter(request, response); // the application's path, or a WebSocket upgrade core allows
            return;
        }
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
        // Read without holding a thread; core answers on the container thread that sees the body's last byte.
        in.setReadListener(new ReadListener() {
            @Override
            public void onDataAvailable() throws IOException {
                admission.readAvailable(in::isReady, in::read);
            }

            @Override
            public void onAllDataRead() {
                admission.body().end();
            }

            @Override
            public void onError(Throwable error) {
                admission.body().fail(error);
            }
        });
    }

    /**
     * Turns newcomers away with a 503 problem, waits (boundedly) for the requests in flight to finish, then closes
     * the local hub's sockets.
     */
    void stop() {
        gate.stop();
    }

    static void write(HttpServletResponse response, HttpReply reply) {
        response.setStatus(reply.status());
        reply.headers().forEach(response::setHeader);
        response.setContentLength(reply.body().length);
        try {
            response.getOutputStream().write(reply.body());
            // On the wire before Tomcat finishes the request: a body left unread then closes the connection
            // (TomcatProblems), and the client has its answer first.
            response.flushBuffer();
        } catch (IOException gone) {
            // The client went away meanwhile: nobody to answer.
        }
    }
}
