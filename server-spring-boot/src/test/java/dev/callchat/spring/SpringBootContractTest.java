package dev.callchat.spring;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.HttpContract;
import dev.callchat.testing.contract.RunningServer;

/** Holds the Spring Boot adapter to the shared HTTP contract. */
class SpringBootContractTest extends HttpContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatSpringBoot server = CallChatSpringBoot.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}
