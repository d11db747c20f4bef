package dev.callchat.spring;

import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.RunningServer;
import dev.callchat.testing.contract.SharedFilesContract;

/** Holds the Spring Boot adapter to the shared-file routes' contract. */
class SpringBootSharedFilesTest extends SharedFilesContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatSpringBoot server = CallChatSpringBoot.start(http, "127.0.0.1", 0);
        return new RunningServer(server.baseUri(), server);
    }
}
