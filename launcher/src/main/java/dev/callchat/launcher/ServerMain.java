package dev.callchat.launcher;

import dev.callchat.core.config.Config;
import dev.callchat.core.config.ConfigException;

import java.util.function.Function;

/**
 * What every server's {@code main} does the same way: read the configuration, start, and stop on
 * SIGTERM, with one line on stderr and a distinct exit status when that fails (2: invalid
 * configuration, 1: could not start, typically a taken port). For {@code main} methods only: it
 * calls {@link System#exit}.
 */
public final class ServerMain {
    private ServerMain() {
    }

    /**
     * @param start starts a server from the configuration; closing it stops the server gracefully
     * @param <S>   the server type
     * @return the running server (its shutdown hook is registered)
     */
    public static <S extends AutoCloseable> S run(Function<Config, S> start) {
        Config config;
        try {
            config = Config.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println("callchat: invalid configuration: " + e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
        S server;
        try {
            server = start.apply(config);
        } catch (RuntimeException e) {
            // Typically the port is taken: one line says so, without a stack trace.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("callchat: could not listen on " + config.host() + ":" + config.port() + ": "
                    + cause.getMessage());
            System.exit(1);
            throw e; // not reached
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("callchat: error while stopping: " + e.getMessage());
            }
        }, "callchat-shutdown"));
        return server;
    }
}
