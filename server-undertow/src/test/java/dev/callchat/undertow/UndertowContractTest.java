package dev.callchat.undertow;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.HttpContract;
import dev.callchat.testing.contract.RunningServer;

/** Holds the Undertow adapter to the shared HTTP contract. */
class UndertowContractTest extends HttpContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatUndertow server = CallChatUndertow.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}
