package dev.callchat.micronaut;

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

import static org.assertj.core.api.Assertions.assertThat;

/** CALLCHAT_TLS_*: Micronaut's SSL is switched on from the same Config, HTTP kept beside it. */
class MicronautHttpsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void generate() throws Exception {
        certs = TestCertificates.generate(dir);
    }

    @Test
    void aKeystoreInTheConfigServesTheContractOverHttpsAndKeepsHttp() throws Exception {
        assertServesBoth(ServerConfig.from(Map.of("PORT", "0", "CALLCHAT_TLS_PORT", "0",
                "CALLCHAT_TLS_KEYSTORE", certs.keystore().toString(), "CALLCHAT_TLS_KEYSTORE_PASSWORD", certs.password())));
    }

    @Test
    void pemFilesWorkAsWellAsAKeystore() throws Exception {
        assertServesBoth(ServerConfig.from(Map.of("PORT", "0", "CALLCHAT_TLS_PORT", "0",
                "CALLCHAT_TLS_CERT", certs.certificatePem().toString(), "CALLCHAT_TLS_KEY", certs.privateKeyPem().toString())));
    }

    private static void assertServesBoth(ServerConfig listen) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(certs.clientContext()).connectTimeout(WAIT).build();
        try (CallSessionService service = CallSessionService.create(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")));
             CallChatMicronaut server = CallChatMicronaut.start(listen, new CallChatHttp(service))) {
            URI https = server.httpsUri().orElseThrow();
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(https.resolve("login")).timeout(WAIT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ana\"}")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> plain = client.send(HttpRequest.newBuilder(server.baseUri().resolve("health")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(https.getScheme()).isEqualTo("https");
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
