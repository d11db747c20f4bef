package dev.callchat.undertow;

import dev.callchat.core.config.Config;
import dev.callchat.core.config.ConfigException;
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
        Config config;
        try {
            config = Config.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println("callchat: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        CallChatUndertow server;
        try {
            server = CallChatUndertow.start(config);
        } catch (RuntimeException e) {
            // Typically the port is taken; one line says so without a stack trace.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("callchat: could not listen on " + config.host() + ":" + config.port() + ": " + cause.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "callchat-shutdown"));
        LOG.info("callchat listening on {} (provider: {}, room: {})", server.baseUri(), config.providerName(),
                config.defaultRoom());
    }
}
