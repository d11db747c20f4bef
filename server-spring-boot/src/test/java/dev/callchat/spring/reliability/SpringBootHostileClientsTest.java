package dev.callchat.spring.reliability;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.spring.CallChatSpringBoot;
import dev.callchat.testing.contract.RunningServer;
import dev.callchat.testing.reliability.HostileClientsContract;

/** Hostile clients against the Spring Boot adapter. */
class SpringBootHostileClientsTest extends HostileClientsContract {
    @Override
    protected RunningServer start(CallSessionService service) {
        CallChatSpringBoot server = CallChatSpringBoot.start(ServerConfig.builder().port(0).build(), new CallChatHttp(service));
        return new RunningServer(server.baseUri(), server);
    }
}
