package dev.callchat.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.undertow.CallChatUndertow;
import io.undertow.Handlers;
import io.undertow.Undertow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static dev.callchat.examples.HostApplicationContract.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/** The Authenticator example: the call identity is the host's signed-in user, whatever name is typed. */
class HostSessionLoginTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private CallSessionService calls;
    private Undertow server;
    private URI base;

    @BeforeEach
    void start() {
        calls = HostSessionLogin.service(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")));
        server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path().addPrefixPath("/video",
                        HostSessionLogin.fromHostSession(Map.of("s-1", "Ana Host"), CallChatUndertow.handler(calls))))
                .build();
        server.start();
        base = URI.create("http://127.0.0.1:" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort());
    }

    @AfterEach
    void stop() {
        server.stop();
        calls.close();
    }

    @Test
    void theIdentityIsTheHostsSignedInUserNotTheTypedName() throws Exception {
        HttpResponse<String> login = login("{\"username\":\"mallory\"}", "Cookie", "session=s-1");

        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(login.body()).path("identity").asText()).isEqualTo("Ana Host");
    }

    @Test
    void aLoginWithoutAHostSessionIsRefusedEvenIfTheClientSendsTheHeaderItself() throws Exception {
        HttpResponse<String> login = login("{\"username\":\"mallory\"}", HostSessionLogin.USER_HEADER, "Ana Host");

        assertThat(login.statusCode()).isEqualTo(401);
        assertThat(login.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(login.body());
        assertThat(problem.path("detail").asText()).isEqualTo("Sign in to the product first");
    }

    private HttpResponse<String> login(String body, String header, String value) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve("/video/login")).timeout(WAIT)
                .header("Content-Type", "application/json").header(header, value)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
