package dev.callchat.testing.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.FakeTwilio;
import dev.callchat.testing.prometheus.PrometheusText;
import dev.callchat.testing.prometheus.PrometheusText.Sample;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meters and probes, over real HTTP, for any adapter: after the same requests every adapter reports the same
 * meter names and tags (they are recorded once, in core's {@link CallChatHttp}; this suite proves the adapter
 * hands every request to it), the scrape parses as the Prometheus text format ({@link PrometheusText}), and
 * {@code /health/live} and {@code /health/ready} answer. An adapter plugs in as for {@link HttpContract}:
 *
 * <pre>{@code
 * class UndertowMetricsTest extends MetricsContract {
 *     protected RunningServer start(CallChatHttp http) {
 *         var server = CallChatUndertow.start(ServerConfig.builder().port(0).build(), http);
 *         return new RunningServer(server.baseUri(), server);
 *     }
 * }
 * }</pre>
 */
public abstract class MetricsContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "Metrics Room 7f3a";
    private static final String NAME = "metered-ana";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /**
     * Starts the adapter's server on a free port of 127.0.0.1, serving exactly {@code http} at its root.
     *
     * @param http the contract implementation to serve
     * @return the running server; the suite closes it
     * @throws Exception when the server cannot start
     */
    protected abstract RunningServer start(CallChatHttp http) throws Exception;

    /** Closes what the test started, newest first. */
    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private record Served(RunningServer server, CallChatHttp http, PrometheusMeterRegistry registry) {
    }

    private Served serve(Config config, boolean scrape) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CallSessionService service = CallSessionService.builder(config).meterRegistry(registry).build();
        toClose.add(service);
        CallChatHttp http = new CallChatHttp(service, HttpContract.TEST_ASSET_ROOT, scrape ? registry::scrape : null);
        RunningServer server = start(http);
        toClose.add(server);
        return new Served(server, http, registry);
    }

    private static Config local(String loginRate) {
        return Config.from(Map.of("CALLCHAT_LOGIN_RATE", loginRate, "CALLCHAT_ROOM", ROOM,
                "CALLCHAT_LOCAL_SECRET", "metrics-contract-local-secret-0123456789"));
    }

    @Test
    void theSameRequestsGiveTheseHttpAndLoginMetersWithBoundedTags() throws Exception {
        Served served = serve(local("4/min"), true);
        URI base = served.server().baseUri();

        assertThat(send(base, "POST", "/login", "application/json", "{\"username\":\"" + NAME + "\",\"room\":\"" + ROOM + "\"}").statusCode()).isEqualTo(200);
        assertThat(send(base, "POST", "/login", "application/json", "{\"username\":\"  \"}").statusCode()).isEqualTo(401);
        assertThat(send(base, "POST", "/api/login", "application/x-www-form-urlencoded", "username=" + NAME).statusCode()).isEqualTo(415);
        assertThat(send(base, "POST", "/login", "application/json", "{\"username\":\"" + NAME + "\",\"room\":\"" + ROOM + "\"}").statusCode()).isEqualTo(200);
        assertThat(send(base, "POST", "/login", "application/json", "{\"username\":\"" + NAME + "\"}").statusCode()).isEqualTo(429);
        assertThat(send(base, "GET", "/health", null, null).statusCode()).isEqualTo(200);
        assertThat(send(base, "GET", "/health/live", null, null).statusCode()).isEqualTo(200);
        assertThat(send(base, "GET", "/health/ready", null, null).statusCode()).isEqualTo(200);
        assertThat(send(base, "GET", "/private/" + NAME + "/x", null, null).statusCode()).isEqualTo(404);
        assertThat(send(base, "DELETE", "/health", null, null).statusCode()).isEqualTo(405);
        assertThat(send(base, "GET", "/metrics", null, null).statusCode()).isEqualTo(200);

        HttpResponse<String> scrape = send(base, "GET", "/metrics", null, null);
        // Tomcat re-renders the header without the optional spaces around ';' (RFC 9110 allows either).
        assertThat(scrape.headers().firstValue("Content-Type").map(type -> type.replace(" ", "")))
                .hasValue("text/plain;version=0.0.4;charset=utf-8");
        List<Sample> samples = PrometheusText.parse(scrape.body());

        assertThat(counts(samples, "http_server_requests_seconds_count")).isEqualTo(Map.of(
                "method=POST,outcome=SUCCESS,status=200,uri=/login", 2.0,
                "method=POST,outcome=CLIENT_ERROR,status=401,uri=/login", 1.0,
                "method=POST,outcome=CLIENT_ERROR,status=415,uri=/api/login", 1.0,
                "method=POST,outcome=CLIENT_ERROR,status=429,uri=/login", 1.0,
                "method=GET,outcome=SUCCESS,status=200,uri=/health", 1.0,
                "method=GET,outcome=SUCCESS,status=200,uri=/health/live", 1.0,
                "method=GET,outcome=SUCCESS,status=200,uri=/health/ready", 1.0,
                "method=GET,outcome=CLIENT_ERROR,status=404,uri=NOT_FOUND", 1.0,
                "method=DELETE,outcome=CLIENT_ERROR,status=405,uri=/health", 1.0,
                "method=GET,outcome=SUCCESS,status=200,uri=/metrics", 1.0));
        assertThat(counts(samples, "callchat_login_seconds_count")).isEqualTo(Map.of(
                "outcome=ok,provider=local", 2.0,
                "outcome=video-only,provider=local", 0.0,
                "outcome=refused,provider=local", 2.0,
                "outcome=rate-limited,provider=local", 1.0,
                "outcome=error,provider=local", 0.0));
        assertThat(samples).extracting(Sample::name).contains("callchat_hub_rooms", "callchat_hub_members",
                "callchat_hub_frames_in_total", "callchat_hub_frames_out_total",
                "callchat_hub_slow_consumer_closes_total", "callchat_hub_files_bytes");
        assertThat(samples).flatExtracting(s -> List.copyOf(s.labels().values()))
                .noneMatch(value -> value.contains(NAME) || value.contains(ROOM) || value.contains("/private"));
    }

    @Test
    void twilioCallsAreCountedByOperationAndStatusClassWithRetriesAndTheBreakerState() throws Exception {
        FakeTwilio fake = FakeTwilio.start();
        toClose.add(fake);
        // Generous timeouts: on a busy machine a first call must not time out and turn into an extra "io" count.
        Served served = serve(fake.config(Map.of("CALLCHAT_LOGIN_RATE", "off", "CALLCHAT_UPSTREAM_TIMEOUT", "60s",
                "CALLCHAT_LOGIN_DEADLINE", "120s")), true);
        fake.failNext(FakeTwilio.Route.CREATE_CONVERSATION, 1, FakeTwilio.Fault.unavailable());
        fake.failNext(FakeTwilio.Route.CREATE_PARTICIPANT, 1, FakeTwilio.Fault.tooManyRequests(0));

        HttpResponse<String> login = send(served.server().baseUri(), "POST", "/login", "application/json",
                "{\"username\":\"" + NAME + "\",\"room\":\"" + ROOM + "\"}");
        assertThat(login.statusCode()).isEqualTo(200);
        // The 429 on the participant is the pacer's to handle: the login goes on, its enrollment queued.
        assertThat(JSON.readTree(login.body()).path("chat_status").asText()).isEqualTo("pending");
        List<Sample> samples = scrapeOnceEnrolled(served.server().baseUri());

        // A new room: fetch by unique name (404), create (503 once, retried, 201), then add the participant
        // (429, queued by the pacer, 201 from the queue).
        assertThat(nonZero(counts(samples, "callchat_twilio_calls_total"))).isEqualTo(Map.of(
                "operation=conversation.fetch,status=4xx", 1.0,
                "operation=conversation.create,status=5xx", 1.0,
                "operation=conversation.create,status=2xx", 1.0,
                "operation=participant.create,status=429", 1.0,
                "operation=participant.create,status=2xx", 1.0));
        assertThat(nonZero(counts(samples, "callchat_twilio_retries_total"))).isEqualTo(Map.of(
                "operation=conversation.create", 1.0));
        assertThat(counts(samples, "callchat_twilio_calls_total")).containsEntry("operation=conversation.delete,status=5xx", 0.0);
        assertThat(counts(samples, "callchat_twilio_enrollment_queue_wait_seconds_count")).isEqualTo(Map.of("", 1.0));
        assertThat(counts(samples, "callchat_twilio_enrollment_queue_depth")).isEqualTo(Map.of("", 0.0));
        assertThat(counts(samples, "callchat_twilio_breaker_state")).containsEntry("state=closed", 1.0)
                .containsEntry("state=open", 0.0).containsEntry("state=half_open", 0.0);
        assertThat(counts(samples, "callchat_login_seconds_count")).containsEntry("outcome=ok,provider=twilio", 1.0);
    }

    @Test
    void readinessTurnsFalseWhileDrainingAndLivenessStaysTrue() throws Exception {
        Served served = serve(local("off"), false);
        URI base = served.server().baseUri();
        HttpResponse<String> before = send(base, "GET", "/health/ready", null, null);
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(before.body()).get("status").textValue()).isEqualTo("UP");

        served.http().drain();

        HttpResponse<String> draining = send(base, "GET", "/health/ready", null, null);
        assertThat(draining.statusCode()).isEqualTo(503);
        assertThat(draining.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(JSON.readTree(draining.body()).get("status").textValue()).isEqualTo("DOWN");
        assertThat(send(base, "GET", "/health/live", null, null).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(send(base, "GET", "/health", null, null).body()).get("status").textValue()).isEqualTo("UP");
    }

    @Test
    void withoutAScrapeMetricsIsANotFoundProblem() throws Exception {
        Served served = serve(local("off"), false);

        HttpResponse<String> response = send(served.server().baseUri(), "GET", "/metrics", null, null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    /**
     * Scrapes until the queued enrollment's 201 is counted. The wait only bounds a hang: the verdict is what the
     * scrape then holds, however long the pacer's next slot took on a busy machine.
     */
    private List<Sample> scrapeOnceEnrolled(URI base) throws Exception {
        long giveUp = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            List<Sample> samples = PrometheusText.parse(send(base, "GET", "/metrics", null, null).body());
            if (counts(samples, "callchat_twilio_calls_total").getOrDefault("operation=participant.create,status=2xx", 0.0) > 0
                    || System.nanoTime() > giveUp) {
                return samples;
            }
            Thread.sleep(20);
        }
    }

    private static Map<String, Double> nonZero(Map<String, Double> counts) {
        return counts.entrySet().stream().filter(e -> e.getValue() != 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** @return for each sample named {@code name}: its labels as {@code k=v,...} sorted by key, to its value */
    private static Map<String, Double> counts(List<Sample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name)).collect(Collectors.toMap(
                s -> new TreeMap<>(s.labels()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(",")),
                Sample::value));
    }

    private HttpResponse<String> send(URI base, String method, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path.substring(1))).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        Optional.ofNullable(contentType).ifPresent(type -> request.header("Content-Type", type));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

}
