package dev.callchat.undertow;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.RunningServer;
import dev.callchat.testing.contract.SharedFilesContract;

/** Holds the Undertow adapter to the shared-file routes' contract (larger bodies on that route only). */
class UndertowSharedFilesTest extends SharedFilesContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatUndertow server = CallChatUndertow.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}
