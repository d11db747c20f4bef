package dev.callchat.examples.micronaut;

import io.micronaut.runtime.Micronaut;

/**
 * Example (c) of docs/embedding.md: an existing Micronaut application with its own controller
 * ({@link HelloController}). Adding {@code callchat-server-micronaut} to its dependencies and
 * {@code callchat.path=/video} to its {@code application.properties} is all it takes: callchat's
 * beans are found on the classpath and answer below {@code /video/}; every other path stays the
 * application's.
 */
public final class HostApplication {
    private HostApplication() {
    }

    /**
     * @param args passed to Micronaut
     */
    public static void main(String[] args) {
        Micronaut.run(HostApplication.class, args);
    }
}
