package dev.callchat.spring;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.Threads;
import dev.callchat.launcher.ServerMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * A whole callchat server on Spring Boot, as {@code java -jar callchat-spring-boot.jar} runs it. To add
 * callchat to an existing Spring Boot application, depend on this artifact instead: its
 * {@link CallChatAutoConfiguration} does the rest.
 */
public final class CallChatSpringBoot implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallChatSpringBoot.class);

    private final ConfigurableApplicationContext context;
    private final URI baseUri;

    private CallChatSpringBoot(ConfigurableApplicationContext context, URI baseUri) {
        this.context = context;
        this.baseUri = baseUri;
    }

    /**
     * Runs the server as {@code java -jar callchat-spring-boot.jar} does. Configuration comes from the environment
     * or a {@code .env} file; an invalid value stops start-up with one line on stderr and exit status 2. SIGTERM
     * shuts down gracefully.
     *
     * @param args ignored; configuration comes from the environment
     */
    public static void main(String[] args) {
        ServerMain.serveWithoutHttps("the Spring Boot jar", CallChatSpringBoot::start);
    }

    /**
     * Serves {@code http} on the server configuration's host and port (Spring Boot serves no HTTPS here). The
     * caller keeps ownership of {@code http}'s service and closes it after the server, as the runnable jar does
     * (with its metrics registry in the service).
     *
     * @param server where to listen; port 0 for a free one
     * @param http   the contract to serve
     * @return the running server
     */
    public static CallChatSpringBoot start(ServerConfig server, CallChatHttp http) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .properties(Map.of("server.address", server.host(), "server.port", Integer.toString(server.port()),
                        // A login holds its request thread while it waits on Twilio: as many as Undertow's workers.
                        "server.tomcat.threads.max", Integer.toString(Threads.WORKERS),
                        // One log format across the three servers.
                        "logging.pattern.console", "[%thread] %level %logger - %msg%n"))
                .initializers(ctx -> {
                    // The application's own beans: the auto-configuration backs off and uses these.
                    ctx.getBeanFactory().registerSingleton("callChatService", http.service());
                    ctx.getBeanFactory().registerSingleton("callChatHttp", http);
                })
                .run();
        CallChatSpringBoot running = new CallChatSpringBoot(context, ServerConfig.baseUri("http", server.host(),
                ((WebServerApplicationContext) context).getWebServer().getPort()));
        LOG.info(http.startupLine(running.baseUri(), Optional.empty()));
        return running;
    }

    /** @return where the server listens, e.g. {@code http://127.0.0.1:8080/} */
    public URI baseUri() {
        return baseUri;
    }

    /**
     * Stops gracefully: answers new requests with a 503 problem, waits up to 10 s for those in flight,
     * closes the local hub's sockets (1001, going away), then the web server.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!context.isActive()) {
            return;
        }
        context.getBean(CallChatFilter.class).stop();
        context.close();
    }

    /** The Boot application: auto-configuration only, no component scanning. */
    @SpringBootConfiguration
    // Every error callchat can answer is core's problem+json; Boot's /error page would answer its own JSON.
    @EnableAutoConfiguration(exclude = ErrorMvcAutoConfiguration.class)
    static class Application {
    }
}
