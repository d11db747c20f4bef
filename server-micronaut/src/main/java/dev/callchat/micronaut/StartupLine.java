package dev.callchat.micronaut;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.http.CallChatHttp;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the one line that tells the operator where callchat listens and in which mode. */
@Singleton
class StartupLine {
    private static final Logger LOG = LoggerFactory.getLogger("callchat");

    private final CallSessionService service;

    StartupLine(CallChatHttp http) {
        this.service = http.service();
    }

    @EventListener
    void onStartup(ServerStartupEvent event) {
        LOG.info("callchat listening on {} (provider: {}, room: {})", CallChatServer.baseUri(event.getSource()),
                service.providerName(), service.config().defaultRoom());
    }
}
