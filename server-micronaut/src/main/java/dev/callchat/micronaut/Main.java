package dev.callchat.micronaut;

import dev.callchat.core.config.Config;
import dev.callchat.core.config.ConfigException;

/**
 * Runs callchat on Micronaut: {@code java -jar callchat-micronaut.jar}. Configuration comes from the
 * environment or a {@code .env} file (see {@link Config}); an invalid value stops start-up with one line
 * on stderr and exit status 2. SIGTERM shuts down gracefully.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args ignored: callchat is configured through the environment
     */
    public static void main(String[] args) {
        Config config;
        try {
            config = Config.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        CallChatServer server;
        try {
            server = CallChatServer.start(config.host(), config.port(), config);
        } catch (RuntimeException e) {
            // Typically the port is taken: one line says so, without a stack trace.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("callchat: could not listen on " + config.host() + ":" + config.port() + ": " + cause.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "callchat-shutdown"));
    }
}
