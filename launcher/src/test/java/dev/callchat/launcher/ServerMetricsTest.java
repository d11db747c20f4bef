package dev.callchat.launcher;

import dev.callchat.core.config.ConfigException;
import dev.callchat.core.config.MetricsConfig;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.testing.prometheus.PrometheusText;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runnable servers' registry and its optional listener of its own (CALLCHAT_METRICS_PORT). */
class ServerMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private HttpResponse<String> get(URI uri, String method) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(WAIT).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onTheMainPortByDefaultWithJvmAndProcessMeters() {
        try (ServerMetrics metrics = ServerMetrics.create(ServerConfig.from(Map.of()).metrics())) {
            assertThat(metrics.mainPortScrape()).isPresent();
            assertThat(metrics.startListener("127.0.0.1", () -> true)).isEmpty();
            assertThat(PrometheusText.parse(metrics.mainPortScrape().get().scrape()))
                    .extracting(PrometheusText.Sample::name)
                    .contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds");
        }
    }

    @Test
    void aMetricsPortServesTheScrapeAndTheProbesThereAndNothingOnTheMainPort() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(true);
        try (ServerMetrics metrics = ServerMetrics.create(ServerConfig.from(Map.of("CALLCHAT_METRICS_PORT", "0")).metrics())) {
            Counter.builder("callchat.test.things").register(metrics.registry()).increment(3);
            URI scrape = metrics.startListener("127.0.0.1", ready::get).orElseThrow();

            assertThat(metrics.mainPortScrape()).isEmpty();
            HttpResponse<String> response = get(scrape, "GET");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(PrometheusText.parse(response.body()))
                    .anySatisfy(s -> assertThat(s).isEqualTo(new PrometheusText.Sample("callchat_test_things_total", Map.of(), 3.0)));
            assertThat(get(scrape.resolve("/health/ready"), "GET").statusCode()).isEqualTo(200);
            ready.set(false);
            assertThat(get(scrape.resolve("/health/ready"), "GET").statusCode()).isEqualTo(503);
            assertThat(get(scrape.resolve("/health/live"), "GET").statusCode()).isEqualTo(200);
            assertThat(get(scrape.resolve("/login"), "GET").statusCode()).isEqualTo(404);
            HttpResponse<String> post = get(scrape, "POST");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    void offServesNothing() {
        try (ServerMetrics metrics = ServerMetrics.create(ServerConfig.from(Map.of("CALLCHAT_METRICS", "false",
                "CALLCHAT_METRICS_PORT", "0")).metrics())) {
            assertThat(metrics.mainPortScrape()).isEmpty();
            assertThat(metrics.startListener("127.0.0.1", () -> true)).isEmpty();
        }
    }

    @Test
    void theVariablesAreServerSettingsCheckedAgainstTheOtherPorts() {
        assertThat(ServerConfig.from(Map.of()).metrics()).isEqualTo(MetricsConfig.defaults());
        assertThat(ServerConfig.from(Map.of("CALLCHAT_METRICS", "off", "CALLCHAT_METRICS_PORT", "9464")).metrics())
                .isEqualTo(new MetricsConfig(false, OptionalInt.of(9464)));
        assertThatThrownBy(() -> ServerConfig.from(Map.of("CALLCHAT_METRICS", "maybe")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CALLCHAT_METRICS");
        assertThatThrownBy(() -> ServerConfig.from(Map.of("CALLCHAT_METRICS_PORT", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CALLCHAT_METRICS_PORT");
        assertThatThrownBy(() -> ServerConfig.from(Map.of("PORT", "9000", "CALLCHAT_METRICS_PORT", "9000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CALLCHAT_METRICS_PORT");
    }
}
