package dev.callchat.core.http;

import org.jspecify.annotations.Nullable;

/**
 * The way into callchat for an adapter that sees all of a host application's requests (a servlet filter,
 * say), mounted at {@code callchat.path} (such as {@code /video}; empty for every path). Each request is one of:
 * the application's own (outside the mount, or a WebSocket upgrade to {@code /local/ws} that core's Origin rule
 * allows: the framework's WebSocket handler takes it), answered at once (the mount itself redirects to
 * {@code /video/}, where the page's relative links resolve; a refused upgrade; and what {@link Admission}
 * answers at once), or admitted to have its body read. {@link #stop()} closes the door. For adapters (see
 * {@code docs/architecture.md}); applications never need it.
 */
public final class Gate {
    private final CallChatHttp http;
    private final String mount;
    private final InFlight inFlight;

    /**
     * @param http  the contract
     * @param mount the prefix, normalized by {@link CallChatHttp#normalizedMount(String)}
     */
    public Gate(CallChatHttp http, @Nullable String mount) {
        this.http = http;
        this.mount = CallChatHttp.normalizedMount(mount);
        this.inFlight = new InFlight(http);
    }

    /** @return the normalized mount, such as {@code /video}, or empty for every path */
    public String mount() {
        return mount;
    }

    /**
     * @param call          the request without its body, its raw path below the application's base
     * @param base          the application's own base path (a servlet's context path), empty for none; the
     *                      redirect's location starts with it
     * @param query         the raw query string, or null
     * @param contentLength the request's {@code Content-Length}, or -1 when it has none
     * @return what to do with the request
     */
    public Admission admit(AdapterCall call, String base, @Nullable String query, long contentLength) {
        String path = call.rawPath();
        if (!mount.isEmpty()) {
            if (path.equals(mount)) {
                return Admission.answered(http.redirect(base + mount + "/" + (query == null ? "" : "?" + query)));
            }
            if (!path.startsWith(mount + "/")) {
                return Admission.PASS_ON;
            }
            path = path.substring(mount.length());
        }
        AdapterCall below = new AdapterCall(call.method(), path, call.headers(), call.remoteAddress(), call.secure(),
                call.source());
        if (CallChatHttp.LOCAL_WS_PATH.equals(path) && http.localWebSocketEnabled()
                && below.header("Upgrade").filter("websocket"::equalsIgnoreCase).isPresent()) {
            return http.refuseWebSocket(below).map(Admission::answered).orElse(Admission.PASS_ON);
        }
        return Admission.of(http, inFlight, below, contentLength);
    }

    /**
     * Stops the door: turns newcomers away with a 503 problem, waits up to {@link Shutdown#DRAIN_TIMEOUT} for the
     * requests in flight to finish, then closes the local hub's sockets (1001, going away).
     */
    public void stop() {
        inFlight.drain();
        http.service().localHub().ifPresent(hub -> hub.close());
    }
}
