package dev.callchat.spring;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.ModerationContract;
import dev.callchat.testing.contract.RunningServer;

/** Holds the SpringBoot adapter to the contract of hosts and their actions. */
class SpringBootModerationTest extends ModerationContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatSpringBoot server = CallChatSpringBoot.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}
