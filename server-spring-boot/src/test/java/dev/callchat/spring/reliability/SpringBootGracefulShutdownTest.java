package dev.callchat.spring.reliability;

import dev.callchat.spring.Main;
import dev.callchat.testing.reliability.GracefulShutdownContract;

/** SIGTERM to the Spring Boot server's {@code Main}. */
class SpringBootGracefulShutdownTest extends GracefulShutdownContract {
    @Override
    protected Class<?> mainClass() {
        return Main.class;
    }
}
