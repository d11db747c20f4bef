package dev.callchat.undertow.reliability;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.LogHygieneContract;
import dev.callchat.testing.contract.RunningServer;
import dev.callchat.undertow.CallChatUndertow;

/** The shared contract suite on Undertow with every log event scanned for secrets. */
class LogHygieneContractTest extends LogHygieneContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatUndertow server = CallChatUndertow.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}
