package dev.callchat.bench;

import dev.callchat.core.CallChatMeters;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.MetricsConfig;
import dev.callchat.core.http.AdapterCall;
import dev.callchat.core.http.BodySource;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpReply;
import dev.callchat.launcher.ServerMetrics;
import dev.callchat.testing.FakeTwilio;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code CALLCHAT_METRICS=true} adds to one refresh login inside core, without any HTTP server or network in
 * the way: section 8 compares whole servers, whose noise on a shared machine is far larger than this cost.
 * {@code metrics=on} records on the registry the runnable jars build ({@link ServerMetrics}: Prometheus, JVM and
 * process binders); {@code off} is what a jar with metrics off runs: the service's empty composite, whose meters
 * keep nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MetricsBenchmark {
    /** {@code on}: the runnable jars' Prometheus registry; {@code off}: no registry. */
    @Param({"off", "on"})
    public String metrics;

    private FakeTwilio fakeTwilio;
    private @Nullable ServerMetrics serverMetrics;
    private CallSessionService service;
    private CallChatHttp http;
    private AdapterCall login;
    private Timer requests;
    private Timer logins;
    private MeterRegistry registry;

    /** Builds the service and its HTTP contract as the runnable jars do, and logs in once so every login is a refresh. */
    @Setup
    public void setUp() {
        fakeTwilio = FakeTwilio.start();
        Config config = Providers.twilioConfig(fakeTwilio.baseUrl().toString());
        serverMetrics = metrics.equals("on") ? ServerMetrics.create(MetricsConfig.defaults()) : null;
        CallSessionService.Builder builder = CallSessionService.builder(config);
        if (serverMetrics != null) {
            builder.meterRegistry(serverMetrics.registry());
        }
        // As ServerMain does: the provider comes from its factory, which hands it the same registry.
        service = builder.build();
        registry = service.meterRegistry();
        http = new CallChatHttp(service, CallChatHttp.DEFAULT_ASSET_ROOT,
                serverMetrics == null ? null : serverMetrics.mainPortScrape().orElse(null));
        Map<String, String> headers = Map.of("content-type", "application/json", "host", "127.0.0.1:8080");
        login = new AdapterCall("POST", "/login", name -> headers.get(name.toLowerCase(Locale.ROOT)), "127.0.0.1",
                false, BodySource.of(LoadDriver.loginJson("metrics-bench", "Metrics Bench Room")
                .getBytes(StandardCharsets.UTF_8)));
        HttpReply first = http.handle(login);
        if (first.status() != 200) {
            throw new IllegalStateException("the first login answered " + first.status() + ": "
                    + new String(first.body(), StandardCharsets.UTF_8));
        }
        // The two timers a refresh login records, as the login left them: found, not created, when metrics are on.
        requests = Timer.builder(CallChatMeters.HTTP_REQUESTS).tags("method", "POST", "uri", "/login", "status", "200",
                "outcome", "SUCCESS").register(registry);
        logins = Timer.builder(CallChatMeters.LOGINS).tags("provider", service.providerName(), "outcome",
                CallChatMeters.LOGIN_OK).register(registry);
        if (serverMetrics != null && requests.count() != 1) {
            throw new IllegalStateException("the login was not recorded as http.server.requests POST /login 200");
        }
    }

    /** Closes the service, the registry and the fake. */
    @TearDown
    public void tearDown() {
        service.close();
        if (serverMetrics != null) {
            serverMetrics.close();
        }
        fakeTwilio.close();
    }

    /** @return the reply to a repeated login through core's HTTP contract: all an adapter's request costs, minus I/O */
    @Benchmark
    public HttpReply refreshLogin() {
        return http.handle(login);
    }

    /** @return the registry's clock after recording just what a refresh login records: its request and its login */
    @Benchmark
    public long recordOnly() {
        long start = registry.config().clock().monotonicTime();
        logins.record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
        requests.record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
        return start;
    }
}
