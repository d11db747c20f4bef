package dev.callchat.spring;

import dev.callchat.core.Authenticator;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.RoomEvents;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.EnvironmentConfig;
import dev.callchat.core.http.CallChatHttp;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

import java.util.Map;

/**
 * callchat in a Spring Boot (Spring MVC) application: a {@link CallSessionService} from {@code callchat.*}
 * properties over the environment and {@code .env}, the whole HTTP contract as one servlet filter below
 * {@code callchat.path} (default: the root), and the local hub's WebSocket. Each bean backs off when the
 * application defines its own; an application's {@link Authenticator}, {@link MeterRegistry} and
 * {@link RoomEvents} beans are used when present.
 *
 * <p>Property names are the environment variables' (see {@link EnvironmentConfig#withProperties}):
 * {@code callchat.token-ttl} is {@code CALLCHAT_TOKEN_TTL}, {@code callchat.twilio.account-sid} is
 * {@code TWILIO_ACCOUNT_SID}; a misspelt one is refused.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableWebSocket
public class CallChatAutoConfiguration {
    /** The property naming the path prefix callchat is served under, such as {@code /video}. */
    public static final String PATH_PROPERTY = "callchat." + EnvironmentConfig.MOUNT_PROPERTY;

    /** Created by Spring. */
    public CallChatAutoConfiguration() {
    }

    /**
     * @param environment    Spring's environment: {@code callchat.*} properties, which win over the
     *                       process environment and {@code .env}
     * @param authenticators the application's {@link Authenticator}, if it defines one
     * @param registries     the application's Micrometer registry (Spring Boot Actuator's, say), where callchat's
     *                       meters then appear; without one callchat records none
     * @param listeners      the application's {@link RoomEvents} listener, which then learns what happens in rooms
     * @return the login service, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public CallSessionService callChatService(Environment environment, ObjectProvider<Authenticator> authenticators,
                                              ObjectProvider<MeterRegistry> registries, ObjectProvider<RoomEvents> listeners) {
        CallSessionService.Builder builder = CallSessionService.builder(config(environment));
        authenticators.ifAvailable(builder::authenticator);
        registries.ifUnique(builder::meterRegistry);
        listeners.ifAvailable(builder::roomEvents);
        return builder.build();
    }

    /**
     * @param service the login service
     * @return the HTTP contract over it
     */
    @Bean
    @ConditionalOnMissingBean
    public CallChatHttp callChatHttp(CallSessionService service) {
        return new CallChatHttp(service);
    }

    /**
     * @param http        the contract
     * @param environment where {@code callchat.path} is read
     * @return the filter answering every request below the mount; Spring Boot registers it for every path (it
     *         passes on what lies outside the mount)
     */
    @Bean
    public CallChatFilter callChatFilter(CallChatHttp http, Environment environment) {
        return new CallChatFilter(http, environment.getProperty(PATH_PROPERTY, ""));
    }

    /**
     * @param http the contract, whose problem format Tomcat's own refusals take on
     * @return the embedded Tomcat's customizer
     */
    @Bean
    @ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> callChatTomcatProblems(CallChatHttp http) {
        return new TomcatProblems(http);
    }

    /**
     * @param http        the contract, whose service may have a local room hub
     * @param environment where {@code callchat.path} is read
     * @return the {@code /local/ws} registration (nothing in twilio mode)
     */
    @Bean
    public WebSocketConfigurer callChatLocalSocket(CallChatHttp http, Environment environment) {
        String path = CallChatHttp.normalizedMount(environment.getProperty(PATH_PROPERTY)) + CallChatHttp.LOCAL_WS_PATH;
        return registry -> http.service().localHub().ifPresent(hub ->
                // Core's Origin rule (CallChatFilter asks it before the upgrade) is the only one: Spring's own
                // same-origin check would refuse the allowed origins of a reverse proxy.
                registry.addHandler(new LocalSocketHandler(hub), path).setAllowedOrigins("*"));
    }

    /** The process environment and {@code .env}, overridden by {@code callchat.*} properties. */
    static Config config(Environment environment) {
        Map<String, String> properties = Binder.get(environment)
                .bind("callchat", Bindable.mapOf(String.class, String.class)).orElseGet(Map::of);
        return EnvironmentConfig.load().withProperties(properties).library().build();
    }
}
