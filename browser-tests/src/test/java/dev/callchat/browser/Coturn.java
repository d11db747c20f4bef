package dev.callchat.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's coturn ({@code turnserver}) for one test class: loopback only, the TURN REST API secret
 * ({@code use-auth-secret}), no TLS/DTLS, no CLI, no web admin, nothing read from {@code /etc}; stopped
 * by {@link #close()}. A missing binary fails the test with the install command, as Chromium's does.
 */
final class Coturn implements AutoCloseable {
    /** Short, so allocations a test leaves behind expire soon even if the browsers never release them. */
    private static final int MAX_ALLOCATE_LIFETIME_SECONDS = 60;
    private static final long READY_WITHIN_MS = 30_000;

    private final Process process;
    private final Path directory;
    private final int port;

    private Coturn(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /**
     * Starts coturn on a free port of 127.0.0.1 and waits until it accepts connections.
     *
     * @param secret its {@code static-auth-secret}
     */
    static Coturn start(String secret) {
        Path binary = Path.of(System.getProperty("CALLCHAT_TURNSERVER",
                System.getenv().getOrDefault("CALLCHAT_TURNSERVER", "/usr/bin/turnserver")));
        if (!Files.isExecutable(binary)) {
            fail(binary + " is missing: the TURN relay test needs Debian's coturn. Install it with"
                    + " 'apt-get install -y coturn' (or point CALLCHAT_TURNSERVER at another turnserver).");
        }
        try {
            Path directory = Files.createTempDirectory("callchat-coturn-");
            int port = freeLoopbackPort();
            List<String> command = List.of(binary.toString(),
                    "-n", // no configuration file: every setting is on this line
                    "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
                    "--no-tls", "--no-dtls", "--no-cli", "--no-rfc5780",
                    "--use-auth-secret", "--static-auth-secret=" + secret, "--realm=callchat.test",
                    // Both browsers' relay addresses are on 127.0.0.1, so the peers are loopback addresses.
                    "--allow-loopback-peers",
                    "--max-allocate-lifetime=" + MAX_ALLOCATE_LIFETIME_SECONDS,
                    "--fingerprint", "--no-software-attribute",
                    "--pidfile=" + directory.resolve("turnserver.pid"), "--userdb=" + directory.resolve("turndb"),
                    "--log-file=stdout", "--simple-log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("turnserver.log").toFile())
                    .start();
            Coturn coturn = new Coturn(process, directory, port);
            coturn.awaitReady();
            return coturn;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start coturn", e);
        }
    }

    /** @return the port coturn listens on (UDP and TCP, 127.0.0.1 only) */
    int port() {
        return port;
    }

    /** @return the UDP TURN URL of this server */
    String turnUrl() {
        return "turn:127.0.0.1:" + port + "?transport=udp";
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_WITHIN_MS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                close();
                fail("coturn exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        String log = log();
        close();
        fail("coturn did not listen on 127.0.0.1:" + port + " within " + READY_WITHIN_MS + " ms:\n" + log);
    }

    /** @return coturn's output so far, for failure messages (it never prints the secret) */
    String log() {
        try {
            return Files.readString(directory.resolve("turnserver.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory; the OS cleans up what we could not
        }
    }
}
