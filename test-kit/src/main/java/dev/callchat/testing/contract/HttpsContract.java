package dev.callchat.testing.contract;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code CALLCHAT_TLS_*}, for an adapter that serves HTTPS from a {@link ServerConfig}: an HTTPS listener beside
 * plain HTTP, from a PKCS12 keystore or from PEM files, serving the same contract; HSTS over HTTPS only; and no
 * HTTPS listener without the variables. Extend and implement {@link #start}.
 */
public abstract class HttpsContract {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static TestCertificates certs;

    /**
     * A server this suite started.
     *
     * @param baseUri  the plain HTTP root
     * @param httpsUri the HTTPS root, when the configuration asked for one
     * @param stopper  stops the server
     */
    public record Listening(URI baseUri, Optional<URI> httpsUri, AutoCloseable stopper) implements AutoCloseable {
        @Override
        public void close() {
            try {
                stopper.close();
            } catch (Exception e) {
                throw new IllegalStateException("the server did not stop", e);
            }
        }
    }

    /**
     * Starts the adapter's server as its runnable jar would.
     *
     * @param listen where to listen, with the HTTPS listener when configured
     * @param http   the contract to serve
     * @return the running server; the suite closes it
     */
    protected abstract Listening start(ServerConfig listen, CallChatHttp http);

    @BeforeAll
    static void generate() throws Exception {
        certs = TestCertificates.generate(dir);
    }

    @Test
    void aKeystoreAddsAnHttpsListenerServingTheContractBesideHttp() throws Exception {
        assertServesBoth(ServerConfig.from(Map.of("PORT", "0", "CALLCHAT_TLS_PORT", "0",
                "CALLCHAT_TLS_KEYSTORE", certs.keystore().toString(), "CALLCHAT_TLS_KEYSTORE_PASSWORD", certs.password())));
    }

    @Test
    void pemFilesWorkAsWellAsAKeystore() throws Exception {
        assertServesBoth(ServerConfig.from(Map.of("PORT", "0", "CALLCHAT_TLS_PORT", "0",
                "CALLCHAT_TLS_CERT", certs.certificatePem().toString(), "CALLCHAT_TLS_KEY", certs.privateKeyPem().toString())));
    }

    @Test
    void withoutTlsVariablesThereIsNoHttpsListener() {
        try (CallSessionService service = CallSessionService.create(Config.defaults());
             Listening server = start(ServerConfig.from(Map.of("PORT", "0")), new CallChatHttp(service))) {
            assertThat(server.httpsUri()).isEmpty();
        }
    }

    private void assertServesBoth(ServerConfig listen) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(certs.clientContext()).connectTimeout(WAIT).build();
        try (CallSessionService service = CallSessionService.create(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")));
             Listening server = start(listen, new CallChatHttp(service))) {
            URI https = server.httpsUri().orElseThrow();
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(https.resolve("login")).timeout(WAIT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ana\"}")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> plain = client.send(HttpRequest.newBuilder(server.baseUri().resolve("health")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(https.getScheme()).isEqualTo("https");
            assertThat(server.baseUri().getScheme()).isEqualTo("http");
            assertThat(server.baseUri().getPort()).isNotEqualTo(https.getPort());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("\"identity\":\"ana\"");
            assertThat(plain.statusCode()).isEqualTo(200);
            // Browsers keep to HTTPS once told so over HTTPS; over plain HTTP the header means nothing.
            assertThat(login.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
            assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
        }
    }
}
