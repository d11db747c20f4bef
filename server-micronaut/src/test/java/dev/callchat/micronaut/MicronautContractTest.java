package dev.callchat.micronaut;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.HttpContract;
import dev.callchat.testing.contract.RunningServer;

/** Holds the Micronaut adapter to the shared HTTP contract. */
class MicronautContractTest extends HttpContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatMicronaut server = CallChatMicronaut.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}
