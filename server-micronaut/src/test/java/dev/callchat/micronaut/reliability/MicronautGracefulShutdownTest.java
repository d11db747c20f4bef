package dev.callchat.micronaut.reliability;

import dev.callchat.micronaut.Main;
import dev.callchat.testing.reliability.GracefulShutdownContract;

/** SIGTERM to the Micronaut server's {@code Main}. */
class MicronautGracefulShutdownTest extends GracefulShutdownContract {
    @Override
    protected Class<?> mainClass() {
        return Main.class;
    }
}
