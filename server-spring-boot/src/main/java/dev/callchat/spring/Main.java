package dev.callchat.spring;

import dev.callchat.core.config.Config;
import dev.callchat.launcher.ServerMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs callchat on Spring Boot: {@code java -jar callchat-spring-boot.jar}. Configuration comes from the
 * environment or a {@code .env} file (see {@link Config}); an invalid value stops start-up with one line
 * on stderr and exit status 2. SIGTERM shuts down gracefully.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    /**
     * @param args ignored; configuration comes from the environment
     */
    public static void main(String[] args) {
        ServerMain.run(config -> {
            CallChatSpringBoot server = CallChatSpringBoot.start(config);
            LOG.info("callchat listening on {} (provider: {}, room: {})", server.baseUri(), config.providerName(),
                    config.defaultRoom());
            return server;
        });
    }
}
