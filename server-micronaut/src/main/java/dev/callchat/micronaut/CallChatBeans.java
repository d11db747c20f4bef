package dev.callchat.micronaut;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.http.CallChatHttp;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Core's objects as Micronaut beans. {@link Main} registers its own {@link Config}, tests their own
 * {@link CallChatHttp}; a registered singleton takes the place of the bean made here.
 */
@Factory
class CallChatBeans {
    @Singleton
    @Requires(missingBeans = Config.class)
    Config config() {
        return Config.fromEnvironment();
    }

    @Singleton
    @Requires(missingBeans = CallSessionService.class)
    @Bean(preDestroy = "close")
    CallSessionService callSessionService(Config config) {
        return CallSessionService.create(config);
    }

    @Singleton
    @Requires(missingBeans = CallChatHttp.class)
    CallChatHttp callChatHttp(CallSessionService service) {
        return new CallChatHttp(service);
    }
}
