package dev.callchat.micronaut.reliability;

import dev.callchat.core.reliability.GracefulShutdownContract;
import dev.callchat.micronaut.Main;

/** SIGTERM to the Micronaut server's {@code Main}. */
class MicronautGracefulShutdownTest extends GracefulShutdownContract {
    @Override
    protected Class<?> mainClass() {
        return Main.class;
    }
}
