package dev.callchat.undertow.reliability;

import dev.callchat.testing.reliability.GracefulShutdownContract;
import dev.callchat.undertow.Main;

/** SIGTERM to the Undertow server's {@code Main}. */
class UndertowGracefulShutdownTest extends GracefulShutdownContract {
    @Override
    protected Class<?> mainClass() {
        return Main.class;
    }
}
