package dev.callchat.micronaut;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.EnvironmentConfig;
import dev.callchat.core.http.CallChatHttp;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;

/**
 * Core's objects as Micronaut beans, for an application that embeds callchat. {@link CallChatMicronaut}
 * registers its own {@link CallChatHttp}; an application may register its own {@link Config} or
 * {@link CallSessionService}; a registered singleton takes the place of the bean made here.
 */
@Factory
class CallChatBeans {
    /** The environment (and {@code .env}) with the application's {@code callchat.*} properties on top. */
    @Singleton
    @Requires(missingBeans = Config.class)
    Config config(Environment environment) {
        // callchat.path, the mount, is CallChatPipeline's; withProperties ignores it.
        return EnvironmentConfig.load().withProperties(environment.getProperties("callchat", StringConvention.RAW))
                .library().build();
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
