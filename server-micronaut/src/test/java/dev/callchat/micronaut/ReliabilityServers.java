package dev.callchat.micronaut;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.RunningServer;

/** Starts the package-private {@link CallChatMicronaut} for the tests in {@code dev.callchat.micronaut.reliability}. */
public final class ReliabilityServers {
    private ReliabilityServers() {
    }

    /**
     * @param service the login service; the caller closes it after the server
     * @return a server on a free port of 127.0.0.1
     */
    public static RunningServer start(CallSessionService service) {
        return start(new CallChatHttp(service));
    }

    /**
     * @param http the contract to serve; the caller closes its service after the server
     * @return a server on a free port of 127.0.0.1
     */
    public static RunningServer start(CallChatHttp http) {
        CallChatMicronaut server = CallChatMicronaut.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}
