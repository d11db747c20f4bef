package dev.callchat.launcher;

import dev.callchat.core.config.Config;
import dev.callchat.core.config.ConfigException;
import dev.callchat.core.config.EnvironmentConfig;
import dev.callchat.core.config.ServerConfig;

import java.util.function.BiFunction;

/**
 * What every server's {@code main} does the same way: read the configuration (the library's
 * {@link Config} and the server's {@link ServerConfig}, from the environment over {@code .env}),
 * start, and stop on SIGTERM, with one line on stderr and a distinct exit status when that fails
 * (2: invalid configuration, 1: could not start, typically a taken port). For {@code main} methods
 * only: it calls {@link System#exit}.
 */
public final class ServerMain {
    private ServerMain() {
    }

    /**
     * @param start starts a server; closing it stops the server gracefully
     * @param <S>   the server type
     * @return the running server (its shutdown hook is registered)
     */
    public static <S extends AutoCloseable> S run(BiFunction<ServerConfig, Config, S> start) {
        ServerConfig server;
        Config config;
        try {
            EnvironmentConfig environment = EnvironmentConfig.load();
            for (String unknown : environment.unknownVariables()) {
                System.err.println("callchat: ignoring " + unknown + ": not a callchat variable (a typo?)");
            }
            config = environment.library().build();
            server = environment.server().build();
        } catch (ConfigException e) {
            System.err.println("callchat: invalid configuration: " + e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
        S running;
        try {
            running = start.apply(server, config);
        } catch (RuntimeException e) {
            // Typically the port is taken: one line says so, without a stack trace.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("callchat: could not listen on " + server.host() + ":" + server.port() + ": "
                    + cause.getMessage());
            System.exit(1);
            throw e; // not reached
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("callchat: error while stopping: " + e.getMessage());
            }
        }, "callchat-shutdown"));
        return running;
    }
}
