package dev.callchat.testing.reliability;

import dev.callchat.testing.FakeTwilio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real SIGTERM path: an adapter's {@code Main} runs as a child process on the test's classpath and
 * {@link Process#destroy()} sends SIGTERM. In twilio mode (against a slow fake Twilio) logins in
 * the middle of their upstream calls must complete and requests during the drain get a 503
 * problem (or their connection is refused); in local mode members on {@code /local/ws} get close 1001. Either way the process exits
 * within a bounded time and its port then refuses connections. An adapter module runs it by
 * extending this class and naming its main class; that {@code Main} must log
 * {@code callchat listening on http://HOST:PORT/} once it serves.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class GracefulShutdownContract {
    private static final Pattern LISTENING = Pattern.compile("callchat listening on (http://\\S+/)");
    private static final int MEMBERS = 3;
    private static final int IN_FLIGHT = 5;
    /** Bounds a hang only: a drain takes at most 10 s, but a loaded 2-core machine can stretch the JVM's exit. */
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(60);

    private final ExecutorService clientThreads = Executors.newFixedThreadPool(2);
    private final ExecutorService users = Executors.newFixedThreadPool(IN_FLIGHT);
    private final Clients clients = new Clients(clientThreads);
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    private Process process;

    /** @return the adapter's class with {@code main(String[])}, reading its configuration from the environment */
    protected abstract Class<?> mainClass();

    @AfterEach
    void stop() throws InterruptedException {
        List<String> lines = new ArrayList<>();
        output.drainTo(lines);
        lines.forEach(line -> System.out.println("[callchat child] " + line));
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        clientThreads.shutdownNow();
        users.shutdownNow();
    }

    @Test
    void sigtermLetsInFlightLoginsFinishTurnsNewcomersAwayCleanlyAndExits() throws Exception {
        try (FakeTwilio fake = FakeTwilio.start()) {
            fake.latency(Duration.ofMillis(700));
            URI base = startMain(fake.environment());
            List<CompletableFuture<Clients.Answer>> inFlight = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                String user = "late" + i;
                inFlight.add(CompletableFuture.supplyAsync(() -> login(base, user), users));
            }
            // Each login has reached Twilio: the server is in the middle of all of them.
            awaitUpstreamCalls(fake, IN_FLIGHT);

            long sigterm = System.nanoTime();
            process.destroy();
            Optional<Clients.Answer> duringDrain = awaitRefusedHealth(base);
            List<Clients.Answer> finished = new ArrayList<>();
            for (CompletableFuture<Clients.Answer> login : inFlight) {
                finished.add(login.get(30, TimeUnit.SECONDS));
            }
            boolean exited = process.waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            long exitMillis = (System.nanoTime() - sigterm) / 1_000_000;

            System.out.printf("[reliability] SIGTERM (twilio mode, 700 ms upstream latency): in-flight logins %s,"
                    + " new request during drain %s, exited after %d ms with %s%n",
                    finished.stream().map(Clients.Answer::outcome).toList(),
                    duringDrain.map(Clients.Answer::outcome).orElse("connection refused"), exitMillis,
                    exited ? process.exitValue() : "still running");
            assertThat(finished).extracting(Clients.Answer::status).containsOnly(200);
            // Refusing new connections while draining is as good as a 503 problem; a bare 503 is not.
            duringDrain.ifPresent(answer -> {
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.contentType()).isEqualTo("application/problem+json");
                assertThat(answer.retryAfter()).isNotNull();
            });
            assertThat(exited).as("exited within %s", EXIT_LIMIT).isTrue();
            assertThat(process.exitValue()).isEqualTo(143);
            assertThatThrownBy(() -> new Socket("127.0.0.1", base.getPort()).close()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void sigtermClosesLocalMembersWithGoingAwayAndExits() throws Exception {
        URI base = startMain(Map.of());
        List<Clients.Member> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            members.add(clients.member(base, "member" + i, "Shutdown Room"));
        }

        long sigterm = System.nanoTime();
        process.destroy();
        List<Integer> closeCodes = new ArrayList<>();
        for (Clients.Member member : members) {
            closeCodes.add(member.awaitClose());
        }
        boolean exited = process.waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        long exitMillis = (System.nanoTime() - sigterm) / 1_000_000;

        System.out.printf("[reliability] SIGTERM (local mode): %d members closed with %s, exited after %d ms with %s%n",
                MEMBERS, closeCodes, exitMillis, exited ? process.exitValue() : "still running");
        assertThat(closeCodes).containsOnly(1001);
        assertThat(exited).as("exited within %s", EXIT_LIMIT).isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
        assertThatThrownBy(() -> new Socket("127.0.0.1", base.getPort()).close()).isInstanceOf(ConnectException.class);
    }

    private Clients.Answer login(URI base, String user) {
        try {
            return clients.login(base, user, "Shutdown Room", Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitUpstreamCalls(FakeTwilio fake, int calls) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (fake.totalCalls() < calls && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(fake.totalCalls()).as("upstream calls of the in-flight logins").isGreaterThanOrEqualTo(calls);
    }

    private URI startMain(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass().getName())
                .directory(Path.of(System.getProperty("java.io.tmpdir")).toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("TWILIO_") || name.startsWith("CALLCHAT_"));
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("PORT", "0");
        builder.environment().put("CALLCHAT_LOGIN_RATE", "off");
        builder.environment().putAll(env);
        process = builder.start();
        process.getOutputStream().close();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "main-output");
        reader.setDaemon(true);
        reader.start();
        // Bounds a hang only: a JVM start took 50 s on a 2-core machine under heavy load (BENCHMARKS.md).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = output.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            seen.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return URI.create(m.group(1));
            }
        }
        throw new AssertionError(mainClass().getName() + " did not report its address within 120 s: " + seen);
    }

    /**
     * Polls {@code /health} on new connections until it is no longer 200 (the drain has begun).
     *
     * @return the first other answer, or empty when the connection was refused
     */
    private Optional<Clients.Answer> awaitRefusedHealth(URI base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Socket socket;
            try {
                socket = new Socket("127.0.0.1", base.getPort());
            } catch (ConnectException refused) {
                return Optional.empty();
            }
            try (socket) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!response.startsWith("HTTP/1.1 200")) {
                    return Optional.of(parse(response));
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("/health still answered 200 10 s after SIGTERM");
    }

    private static Clients.Answer parse(String response) throws IOException {
        int status = Integer.parseInt(response.substring(9, 12));
        String head = response.substring(0, Math.max(0, response.indexOf("\r\n\r\n")));
        String type = header(head, "content-type");
        String body = response.substring(Math.min(response.length(), head.length() + 4));
        return new Clients.Answer(status, type == null ? "" : type.split(";")[0].strip(), header(head, "retry-after"),
                body.isEmpty() ? Clients.JSON.createObjectNode() : Clients.JSON.readTree(body));
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }
}
