package dev.callchat.core.http;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;

import java.util.function.Function;

/**
 * How every adapter's {@code start(ServerConfig, Config)} begins: build the service from the configuration,
 * serve it, and close it again when the server cannot start. For adapters (see {@code docs/architecture.md}).
 */
public final class Startup {
    private Startup() {
    }

    /**
     * @param config the library's configuration
     * @param start  serves the contract over the new service; closing the server it returns closes the service
     * @param <S>    the server type
     * @return the running server
     */
    public static <S> S owningService(Config config, Function<CallChatHttp, S> start) {
        CallSessionService service = CallSessionService.create(config);
        try {
            return start.apply(new CallChatHttp(service));
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }
}
