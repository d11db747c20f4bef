package dev.callchat.spring.reliability;

import dev.callchat.core.http.CallChatHttp;
import dev.callchat.spring.CallChatSpringBoot;
import dev.callchat.testing.contract.LogHygieneContract;
import dev.callchat.testing.contract.RunningServer;

/** The shared contract suite on Spring Boot with every log event scanned for secrets. */
class LogHygieneContractTest extends LogHygieneContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatSpringBoot server = CallChatSpringBoot.start(http, "127.0.0.1", 0);
        return new RunningServer(server.baseUri(), server);
    }
}
