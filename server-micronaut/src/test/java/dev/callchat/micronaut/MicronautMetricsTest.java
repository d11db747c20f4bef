package dev.callchat.micronaut;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.MetricsContract;
import dev.callchat.testing.contract.RunningServer;

/** Holds the Micronaut adapter to the shared metrics and probes contract. */
class MicronautMetricsTest extends MetricsContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatMicronaut server = CallChatMicronaut.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}
