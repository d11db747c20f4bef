package dev.callchat.spring.reliability;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.spring.CallChatSpringBoot;
import dev.callchat.testing.contract.LogHygieneContract;
import dev.callchat.testing.contract.RunningServer;

/** The shared contract suite on Spring Boot with every log event scanned for secrets. */
class LogHygieneContractTest extends LogHygieneContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatSpringBoot server = CallChatSpringBoot.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}
