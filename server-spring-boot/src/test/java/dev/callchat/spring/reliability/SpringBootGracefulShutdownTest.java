package dev.callchat.spring.reliability;

import dev.callchat.spring.CallChatSpringBoot;
import dev.callchat.testing.reliability.GracefulShutdownContract;

/** SIGTERM to the Spring Boot server's {@code main}. */
class SpringBootGracefulShutdownTest extends GracefulShutdownContract {
    @Override
    protected Class<?> mainClass() {
        return CallChatSpringBoot.class;
    }
}
