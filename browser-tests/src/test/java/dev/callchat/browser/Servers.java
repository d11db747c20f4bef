package dev.callchat.browser;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.local.HubLimits;
import dev.callchat.core.local.LocalProvider;
import dev.callchat.micronaut.MicronautBrowserServer;
import dev.callchat.spring.CallChatSpringBoot;
import dev.callchat.undertow.CallChatUndertow;

import java.time.Clock;

/** The three real servers, as the browsers see them. */
final class Servers {
    private Servers() {
    }

    static CallServer undertow(Config config) {
        return undertow(config, CallSessionService.create(config));
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
        CallChatUndertow server = CallChatUndertow.start(ServerConfig.builder().port(0).build(), new CallChatHttp(service));
        return listening(server.baseUri().getPort(), () -> {
            server.close();
            service.close();
        });
    }

    static CallServer micronaut(Config config, CallSessionService service) {
        return micronaut(MicronautBrowserServer.start(config, service));
    }

    static CallServer micronaut(Config config) {
        return micronaut(MicronautBrowserServer.start(config));
    }

    private static CallServer micronaut(MicronautBrowserServer server) {
        return listening(server.port(), server::close);
    }

    /** The Spring Boot server on a free loopback port; closing it closes its service too. */
    static CallServer springBoot(Config config) {
        CallSessionService service = CallSessionService.create(config);
        CallChatSpringBoot server = CallChatSpringBoot.start(ServerConfig.builder().port(0).build(), new CallChatHttp(service));
        return listening(server.baseUri().getPort(), () -> {
            server.close();
            service.close();
        });
    }

    /** @return the same server, whose {@code close()} then also closes {@code after} (a fake it talks to, say) */
    static CallServer alsoClosing(CallServer server, AutoCloseable after) {
        return listening(java.net.URI.create(server.baseUrl()).getPort(), () -> {
            try (after) {
                server.close();
            }
        });
    }

    /** A server on a loopback port, as the browsers open it ({@code localhost}: a secure context). */
    private static CallServer listening(int port, AutoCloseable stop) {
        String url = CallServer.localhost(port);
        return new CallServer() {
            @Override
            public String baseUrl() {
                return url;
            }

            @Override
            public void close() {
                try {
                    stop.close();
                } catch (Exception e) {
                    throw new IllegalStateException("could not stop the server at " + url, e);
                }
            }
        };
    }
}
