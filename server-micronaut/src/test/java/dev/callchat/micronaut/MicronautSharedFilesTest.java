package dev.callchat.micronaut;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.RunningServer;
import dev.callchat.testing.contract.SharedFilesContract;

/** Holds the Micronaut adapter to the shared-file routes' contract (larger bodies on that route only). */
class MicronautSharedFilesTest extends SharedFilesContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatMicronaut server = CallChatMicronaut.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}
