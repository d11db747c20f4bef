package dev.callchat.browser;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.local.HubLimits;
import dev.callchat.core.local.LocalProvider;
import dev.callchat.micronaut.MicronautBrowserServer;
import dev.callchat.spring.CallChatSpringBoot;
import dev.callchat.undertow.CallChatUndertow;

import java.time.Clock;

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

    /**
     * A local-provider service whose rooms give video to only {@code videoMembers} people, so that a full
     * call takes a few browsers instead of seven.
     */
    static CallSessionService withVideoLimit(Config config, int videoMembers) {
        HubLimits limits = HubLimits.custom().maxVideoMembers(videoMembers).build();
        return CallSessionService.builder(config).provider(LocalProvider.create(config, Clock.systemUTC(), limits)).build();
    }

    /** The Undertow server on a free loopback port for a service; closing it closes the service too. */
    static CallServer undertow(Config config, CallSessionService service) {
        CallChatUndertow server = CallChatUndertow.start(service, "127.0.0.1", 0);
        String url = CallServer.localhost(server.baseUri().getPort());
        return new CallServer() {
            @Override
            public String baseUrl() {
                return url;
            }

            @Override
            public void close() {
                server.close();
                service.close();
            }
        };
    }

    static CallServer micronaut(Config config, CallSessionService service) {
        return micronaut(MicronautBrowserServer.start(config, service));
    }

    static CallServer micronaut(Config config) {
        return micronaut(MicronautBrowserServer.start(config));
    }

    private static CallServer micronaut(MicronautBrowserServer server) {
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
