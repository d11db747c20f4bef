package dev.callchat.browser;

import dev.callchat.core.config.Config;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.micronaut.MicronautBrowserServer;
import dev.callchat.spring.CallChatSpringBoot;
import dev.callchat.undertow.CallChatUndertow;

/** The two real servers, as the browsers see them. */
final class Servers {
    private Servers() {
    }

    static CallServer undertow(Config config) {
        CallChatUndertow server = CallChatUndertow.start(ServerConfig.builder().port(0).build(), config);
        String url = CallServer.localhost(server.baseUri().getPort());
        return new CallServer() {
            @Override
            public String baseUrl() {
                return url;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    static CallServer micronaut(Config config) {
        MicronautBrowserServer server = MicronautBrowserServer.start(config);
        String url = CallServer.localhost(server.port());
        return new CallServer() {
            @Override
            public String baseUrl() {
                return url;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    static CallServer springBoot(Config config) {
        CallChatSpringBoot server = CallChatSpringBoot.start(ServerConfig.builder().port(0).build(), config);
        String url = CallServer.localhost(server.baseUri().getPort());
        return new CallServer() {
            @Override
            public String baseUrl() {
                return url;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
