package dev.callchat.examples;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.Map;

/** Example (c): callchat's Micronaut beans inside an application that has its own controller. */
class MicronautHostTest extends HostApplicationContract {
    private EmbeddedServer server;

    @Override
    int start() {
        // application.properties says callchat.path=/video, as the host application's would.
        server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.host", "127.0.0.1",
                "micronaut.server.port", -1));
        return server.getPort();
    }

    @Override
    void stop() {
        server.getApplicationContext().close();
    }
}
