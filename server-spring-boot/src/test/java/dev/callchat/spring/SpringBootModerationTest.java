package dev.callchat.spring;

import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.ModerationContract;
import dev.callchat.testing.contract.RunningServer;

/** Holds the SpringBoot adapter to the contract of hosts and their actions. */
class SpringBootModerationTest extends ModerationContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatSpringBoot server = CallChatSpringBoot.start(http, "127.0.0.1", 0);
        return new RunningServer(server.baseUri(), server);
    }
}
