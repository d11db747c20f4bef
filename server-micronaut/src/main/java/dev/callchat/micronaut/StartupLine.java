package dev.callchat.micronaut;

import dev.callchat.core.CallSessionService;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the one line that tells the operator where callchat listens and in which mode. */
@Singleton
class StartupLine {
    private static final Logger LOG = LoggerFactory.getLogger("callchat");

    private final CallSessionService service;

    StartupLine(CallSessionService service) {
        this.service = service;
    }

    @EventListener
    void onStartup(ServerStartupEvent event) {
        EmbeddedServer server = event.getSource();
        String host = server.getHost().contains(":") ? "[" + server.getHost() + "]" : server.getHost();
        LOG.info("callchat listening on http://{}:{}/ (provider: {}, room: {})", host, server.getPort(),
                service.providerName(), service.config().defaultRoom());
    }
}
