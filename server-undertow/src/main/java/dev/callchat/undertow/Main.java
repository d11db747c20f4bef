package dev.callchat.undertow;

import dev.callchat.launcher.ServerMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs callchat on Undertow: {@code java -jar callchat-undertow.jar}. Reads the environment (and a
 * {@code .env} file), listens on {@code HOST:PORT}, and stops gracefully on SIGTERM.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    /**
     * @param args ignored; configuration comes from the environment
     */
    public static void main(String[] args) {
        // Undertow logs through jboss-logging, which would pick java.util.logging; keep one log format.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        ServerMain.run(config -> {
            CallChatUndertow server = CallChatUndertow.start(config);
            LOG.info("callchat listening on {}{} (provider: {}, room: {})", server.baseUri(),
                    server.httpsUri().map(https -> " and " + https).orElse(""), config.providerName(),
                    config.defaultRoom());
            return server;
        });
    }
}
