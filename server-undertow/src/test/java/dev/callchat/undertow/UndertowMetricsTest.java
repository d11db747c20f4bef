package dev.callchat.undertow;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.MetricsContract;
import dev.callchat.testing.contract.RunningServer;

/** Holds the Undertow adapter to the shared metrics and probes contract. */
class UndertowMetricsTest extends MetricsContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatUndertow server = CallChatUndertow.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}
