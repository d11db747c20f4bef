package dev.callchat.spring;

import dev.callchat.core.Authenticator;
import dev.callchat.core.CallChatMeters;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.RequestContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The auto-configuration uses an application's own beans when it has them, and works without them. */
class SpringBootBeansTest {
    @Test
    void theApplicationsAuthenticatorAndRegistryAreUsed() {
        try (ConfigurableApplicationContext context = run(HostWithBeans.class)) {
            CallSessionService service = context.getBean(CallSessionService.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            String identity = service.login(new LoginRequest("typed-name", "Beans Room",
                    RequestContext.of(Map.of("X-Host-User", "carol"), "127.0.0.1"))).identity();

            assertThat(identity).as("the application's Authenticator decided").isEqualTo("carol");
            assertThat(service.meterRegistry()).isSameAs(registry);
            assertThat(registry.find(CallChatMeters.LOGINS).timers()).as("the login, on the application's registry")
                    .isNotEmpty();
        }
    }

    @Test
    void withoutThemTypedNamesAreTheIdentity() {
        try (ConfigurableApplicationContext context = run(PlainHost.class)) {
            CallSessionService service = context.getBean(CallSessionService.class);

            assertThat(service.login(new LoginRequest("dana", "Beans Room", RequestContext.of(Map.of(), "127.0.0.1")))
                    .identity()).isEqualTo("dana");
            assertThat(context.getBeansOfType(MeterRegistry.class)).isEmpty();
        }
    }

    private static ConfigurableApplicationContext run(Class<?> application) {
        return new SpringApplicationBuilder(application)
                .properties(Map.of("server.address", "127.0.0.1", "server.port", "0"))
                .run();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PlainHost {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class HostWithBeans {
        @Bean
        MeterRegistry hostRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        Authenticator hostAuthenticator() {
            return request -> request.context().header("X-Host-User").orElseThrow();
        }
    }
}
