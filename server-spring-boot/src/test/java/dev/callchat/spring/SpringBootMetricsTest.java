package dev.callchat.spring;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.MetricsContract;
import dev.callchat.testing.contract.RunningServer;

/** Holds the Spring Boot adapter to the shared metrics and probes contract. */
class SpringBootMetricsTest extends MetricsContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatSpringBoot server = CallChatSpringBoot.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}
