package dev.callchat.undertow.reliability;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.RunningServer;
import dev.callchat.testing.reliability.HostileClientsContract;
import dev.callchat.undertow.CallChatUndertow;

/** Hostile clients against the Undertow adapter. */
class UndertowHostileClientsTest extends HostileClientsContract {
    @Override
    protected RunningServer start(CallSessionService service) {
        CallChatUndertow server = CallChatUndertow.start(ServerConfig.builder().port(0).build(), new CallChatHttp(service));
        return new RunningServer(server.baseUri(), server);
    }
}
