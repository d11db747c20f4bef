package dev.callchat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Section 8: what recording meters costs. Each adapter's jar runs twice side by side against the fake Twilio,
 * once with {@code CALLCHAT_METRICS=true} (the default: Prometheus registry, JVM binders, every request and login
 * timed) and once with {@code false} (no registry at all). Refresh logins are driven at each in turn, in
 * alternating order (on-off, off-on, …), after a long warm-up of both (the JIT must be done before anything is
 * compared). Each round's ratio compares two neighbouring phases, so a machine getting busier or quieter over the
 * run weighs on both sides alike; the verdict is the median of those ratios.
 */
final class MetricsSection {
    private static final String ROOM = "Metrics Bench Room";
    private static final int CLIENTS = 16;
    private static final double MIN_RATIO = 0.95;

    private final Settings settings;
    private final Path workDir;

    MetricsSection(Settings settings, Path workDir) {
        this.settings = settings;
        this.workDir = workDir;
    }

    void run(Report report) {
        Report.Section section = report.section("8. Metrics overhead: refresh logins, metrics on vs off");
        measure(section, "Undertow", settings.undertowJar());
        measure(section, "Micronaut", settings.micronautJar());
        measure(section, "Spring Boot", settings.springBootJar());
        section.note("Both JVMs of an adapter run at once (idle when not driven); " + warmUps() + " warm-up and "
                + rounds() + " measured rounds of " + phase().toSeconds() + " s each per side, " + CLIENTS + " closed-loop clients, each repeating its own "
                + "user's login (no Twilio call). Before measuring, a scrape of the metrics-on server must show the "
                + "logins counted, and the metrics-off server must answer /metrics with 404.");
    }

    private int rounds() {
        return settings.quick() ? 2 : 8;
    }

    /** Alternating warm-up phases per side before anything counts. */
    private int warmUps() {
        return settings.quick() ? 1 : 4;
    }

    private Duration phase() {
        return settings.quick() ? Duration.ofSeconds(1) : Duration.ofSeconds(4);
    }

    private void measure(Report.Section section, String name, Path jar) {
        String subject = name + ": refresh throughput, metrics on / off";
        if (!Files.isRegularFile(jar)) {
            section.row(Report.Row.notAvailable(subject, "≥ 95 %", jar + " is not built"));
            return;
        }
        String tag = name.toLowerCase(Locale.ROOT).replace(' ', '-');
        try (TwilioDouble twilio = FakeTwilioDouble.start(settings.latency());
             AdapterProcess on = launch(name, jar, twilio, true, tag + "-metrics-on");
             AdapterProcess off = launch(name, jar, twilio, false, tag + "-metrics-off")) {
            on.awaitHealthy(Duration.ofSeconds(60));
            off.awaitHealthy(Duration.ofSeconds(60));
            LoadDriver onDriver = new LoadDriver(on.baseUri().resolve("/login"));
            LoadDriver offDriver = new LoadDriver(off.baseUri().resolve("/login"));
            LoadDriver.Body body = (c, s) -> LoadDriver.loginJson("metrics-" + c, ROOM);
            for (int i = 0; i < warmUps(); i++) {
                for (LoadDriver driver : List.of(onDriver, offDriver)) {
                    driver.run(CLIENTS, settings.loadPhaseMaxRequests(), phase(), body);
                }
            }
            requireRecording(on.baseUri(), off.baseUri());
            List<Double> onRates = new ArrayList<>();
            List<Double> offRates = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            int failures = 0;
            for (int round = 0; round < rounds(); round++) {
                boolean onFirst = round % 2 == 0;
                for (boolean metricsOn : onFirst ? new boolean[]{true, false} : new boolean[]{false, true}) {
                    LoadDriver.Result r = (metricsOn ? onDriver : offDriver)
                            .run(CLIENTS, settings.loadPhaseMaxRequests(), phase(), body);
                    failures += r.failures();
                    (metricsOn ? onRates : offRates).add(r.perSecond());
                }
                ratios.add(onRates.get(round) / Math.max(1e-9, offRates.get(round)));
                on.requireAlive();
                off.requireAlive();
            }
            double onMedian = median(onRates);
            double offMedian = median(offRates);
            double ratio = median(ratios);
            System.out.printf("[metrics] %s: on %s, off %s logins/s%n", name, onRates, offRates);
            section.row(subject, String.format("%.0f %% (median of %d round ratios %s; medians on %,.0f vs off "
                            + "%,.0f logins/s; rounds on %s, off %s; failed: %d)", ratio * 100, rounds(), percents(ratios),
                    onMedian, offMedian, rates(onRates), rates(offRates), failures), "≥ 95 %, 0 failed",
                    Report.Verdict.of(ratio >= MIN_RATIO && failures == 0));
        } catch (IOException | RuntimeException e) {
            System.err.println("[metrics] " + name + " failed: " + e);
            section.row(Report.Row.notAvailable(subject, "≥ 95 %", "run failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            section.row(Report.Row.notAvailable(subject, "≥ 95 %", "interrupted"));
        }
    }

    private AdapterProcess launch(String name, Path jar, TwilioDouble twilio, boolean metrics, String tag)
            throws IOException {
        return AdapterProcess.launch(name + (metrics ? " (metrics on)" : " (metrics off)"), jar,
                settings.adapterJvmFlags(),
                Map.of("TWILIO_ACCOUNT_SID", Providers.ACCOUNT_SID,
                        "TWILIO_API_KEY_SID", Providers.API_KEY_SID,
                        "TWILIO_API_KEY_SECRET", Providers.API_KEY_SECRET,
                        "TWILIO_API_BASE_URL", twilio.baseUrl().toString(),
                        "CALLCHAT_LOGIN_RATE", "off",
                        "CALLCHAT_METRICS", Boolean.toString(metrics)),
                workDir.resolve("run-" + tag), workDir.resolve(tag + ".log"));
    }

    /** A comparison is only worth something if the metrics-on server really records and the other does not. */
    private static void requireRecording(URI on, URI off) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(on.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (scrape.statusCode() != 200
                || !scrape.body().contains("callchat_login_seconds_count{outcome=\"ok\",provider=\"twilio\"}")) {
            throw new IOException("the metrics-on server does not show its logins in /metrics (" + scrape.statusCode() + ")");
        }
        int offStatus = client.send(HttpRequest.newBuilder(off.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        if (offStatus != 404) {
            throw new IOException("the metrics-off server answered /metrics with " + offStatus + ", not 404");
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String percents(List<Double> values) {
        return values.stream().map(v -> String.format("%.0f", v * 100)).toList().toString();
    }

    private static String rates(List<Double> values) {
        return values.stream().map(v -> String.format("%,.0f", v)).toList().toString();
    }
}
