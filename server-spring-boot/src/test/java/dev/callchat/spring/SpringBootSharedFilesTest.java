package dev.callchat.spring;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.RunningServer;
import dev.callchat.testing.contract.SharedFilesContract;

/** Holds the Spring Boot adapter to the shared-file routes' contract. */
class SpringBootSharedFilesTest extends SharedFilesContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatSpringBoot server = CallChatSpringBoot.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}
