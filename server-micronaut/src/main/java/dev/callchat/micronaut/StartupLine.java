package dev.callchat.micronaut;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.http.CallChatHttp;
import io.micronaut.context.annotation.Value;
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

    private final String mount;

    StartupLine(CallChatHttp http, @Value("${" + CallChatFilter.MOUNT_PROPERTY + ":}") String mount) {
        this.service = http.service();
        this.mount = mount;
    }

    @EventListener
    void onStartup(ServerStartupEvent event) {
        String mount = CallChatFilter.normalizedMount(this.mount);
        LOG.info("callchat listening on {}{} (provider: {}, room: {})",
                CallChatServer.baseUri(event.getSource()).resolve(mount + "/"),
                CallChatServer.httpsUri(event.getSource()).map(https -> " and " + https.resolve(mount + "/")).orElse(""),
                service.providerName(), service.config().defaultRoom());
    }
}
