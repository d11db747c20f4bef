package dev.callchat.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load generator for {@code POST /login}: a fixed number of client threads,
 * each sending its next request as soon as the previous one answered. Every run is bounded both
 * in requests and in time, and only loopback addresses are accepted as targets.
 */
final class LoadDriver {
    /** Makes the JSON body of one request. */
    @FunctionalInterface
    interface Body {
        /**
         * @param client   the client thread's index, 0-based
         * @param sequence the thread's request number, 0-based
         * @return the JSON body
         */
        String json(int client, long sequence);
    }

    /** What one run measured; latencies cover successful (200) responses only. */
    record Result(int requests, int failures, Duration elapsed, Latencies latencies, Map<Integer, Integer> statuses,
                  String firstError) {
        double perSecond() {
            return elapsed.isZero() ? 0 : (requests - failures) / (elapsed.toNanos() / 1e9);
        }

        String describeFailures() {
            return failures == 0 ? "none" : failures + " failed " + statuses
                    + (firstError == null ? "" : " (first I/O error: " + firstError + ")");
        }
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final URI loginUri;
    /** The first I/O error of the current run: status -1 alone does not say what went wrong. */
    private final java.util.concurrent.atomic.AtomicReference<String> firstError =
            new java.util.concurrent.atomic.AtomicReference<>();

    LoadDriver(URI loginUri) {
        this.loginUri = requireLoopback(loginUri);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static URI requireLoopback(URI uri) {
        Objects.requireNonNull(uri, "uri");
        try {
            if (uri.getHost() == null || !InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
                throw new IllegalArgumentException("load is only ever sent to this machine's loopback address, not " + uri);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host in " + uri, e);
        }
        return uri;
    }

    /**
     * Runs {@code clients} threads until {@code maxRequests} have been sent or {@code maxDuration} has
     * passed, whichever comes first.
     */
    Result run(int clients, int maxRequests, Duration maxDuration, Body body) throws InterruptedException {
        firstError.set(null);
        AtomicLong issued = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + maxDuration.toNanos();
        List<Latencies> perClient = new ArrayList<>();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Latencies latencies = new Latencies(Math.min(maxRequests / clients + 1, 1 << 16));
            perClient.add(latencies);
            int client = c;
            threads.add(daemon("load-" + c, () -> {
                for (long seq = 0; issued.getAndIncrement() < maxRequests && System.nanoTime() < deadline; seq++) {
                    send(body.json(client, seq), latencies, statuses);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(maxDuration.plus(REQUEST_TIMEOUT).plusSeconds(5).toMillis());
        }
        long elapsed = System.nanoTime() - start;
        return result(perClient, statuses, elapsed);
    }

    /** Sends exactly one request per client, all released at the same instant: a stampede. */
    Result burst(int clients, Body body) throws InterruptedException {
        firstError.set(null);
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Latencies> perClient = new ArrayList<>();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Latencies latencies = new Latencies(1);
            perClient.add(latencies);
            HttpRequest request = request(body.json(c, 0));
            threads.add(daemon("burst-" + c, () -> {
                ready.countDown();
                try {
                    if (go.await(30, TimeUnit.SECONDS)) {
                        send(request, latencies, statuses);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        if (!ready.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("burst threads did not start within 30 s");
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread thread : threads) {
            thread.join(REQUEST_TIMEOUT.plusSeconds(5).toMillis());
        }
        return result(perClient, statuses, System.nanoTime() - start);
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private Result result(List<Latencies> perClient, Map<Integer, Integer> statuses, long elapsedNanos) {
        Latencies all = Latencies.merge(perClient);
        int failures = statuses.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(all.count() + failures, failures, Duration.ofNanos(elapsedNanos), all,
                new TreeMap<>(statuses), firstError.get());
    }

    private void send(String json, Latencies latencies, Map<Integer, Integer> failures) {
        send(request(json), latencies, failures);
    }

    private void send(HttpRequest request, Latencies latencies, Map<Integer, Integer> failures) {
        long t0 = System.nanoTime();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            firstError.compareAndSet(null, e.toString());
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long nanos = System.nanoTime() - t0;
        if (status == 200) {
            latencies.record(nanos);
        } else {
            failures.merge(status, 1, Integer::sum);
        }
    }

    private HttpRequest request(String json) {
        return HttpRequest.newBuilder(loginUri)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    static String loginJson(String username, String room) {
        return "{\"username\":\"" + username + "\",\"room\":\"" + room + "\"}";
    }
}
