package dev.callchat.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.testing.FakeTwilio.Fault;
import dev.callchat.testing.FakeTwilio.FaultMix;
import dev.callchat.testing.FakeTwilio.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The fake Twilio's fault modes that the reliability tests rely on: resets, malformed JSON, seeded mixes. */
class FakeTwilioFaultModesTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FakeTwilio fake;

    @BeforeEach
    void start() {
        fake = FakeTwilio.start();
        fake.createConversation("r");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void aResetClosesTheConnectionWithoutAnAnswer() throws IOException {
        fake.failNext(Route.FETCH_CONVERSATION, 1, Fault.reset());

        // A raw socket: java.net.http would quietly retry the GET on a fresh connection.
        try (Socket socket = new Socket(fake.baseUrl().getHost(), fake.baseUrl().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /v1/Conversations/r HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                    + basic() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

            assertThat(socket.getInputStream().readAllBytes()).isEmpty();
        }
        assertThat(fake.injectedFaults()).containsEntry("reset", 1);
    }

    @Test
    void malformedJsonIsA200WhoseBodyDoesNotParse() throws Exception {
        fake.failNext(Route.FETCH_CONVERSATION, 1, Fault.malformedJson());

        HttpResponse<String> response = fetch();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> new ObjectMapper().readTree(response.body())).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void theSameSeedGivesTheSameFaultsInTheSameOrder() throws Exception {
        FaultMix mix = new FaultMix(0.2, 0, 0.2, 0, Duration.ZERO, 0, 0.1, 99L);

        List<Integer> first = statuses(mix, 30);
        List<Integer> second = statuses(mix, 30);

        assertThat(first).isEqualTo(second).contains(200, 429).containsAnyOf(500, 503);
    }

    @Test
    void sharesOfAMixAreRoughlyThoseAskedFor() throws Exception {
        fake.randomFaults(new FaultMix(0.2, 1, 0.2, 0, Duration.ZERO, 0, 0, 1L));

        int n = 500;
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(http.sendAsync(request(), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        double tooMany = fake.injectedFaults().getOrDefault("429", 0) / (double) n;
        double serverErrors = (fake.injectedFaults().getOrDefault("500", 0) + fake.injectedFaults().getOrDefault("503", 0))
                / (double) n;
        assertThat(tooMany).isCloseTo(0.2, within(0.04));
        assertThat(serverErrors).isCloseTo(0.2, within(0.04));
    }

    @Test
    void clearFaultsEndsARandomMix() throws Exception {
        fake.randomFaults(new FaultMix(0.5, 0, 0.5, 0, Duration.ZERO, 0, 0, 1L));
        fake.clearFaults();

        assertThat(fetch().statusCode()).isEqualTo(200);
    }

    private List<Integer> statuses(FaultMix mix, int n) throws Exception {
        fake.randomFaults(mix);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            statuses.add(fetch().statusCode());
        }
        return statuses;
    }

    private HttpResponse<String> fetch() throws IOException, InterruptedException {
        return http.send(request(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/Conversations/r"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic())
                .GET().build();
    }

    private static String basic() {
        String auth = FakeTwilio.API_KEY_SID + ":" + FakeTwilio.API_KEY_SECRET;
        return Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8));
    }
}
