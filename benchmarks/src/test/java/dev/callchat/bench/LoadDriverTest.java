package dev.callchat.bench;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadDriverTest {
    @Test
    void refusesAnyTargetThatIsNotLoopback() {
        assertThatThrownBy(() -> new LoadDriver(URI.create("http://192.168.1.10:8080/login")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }

    @Test
    void stopsAtTheRequestBoundAndCountsNon200AsFailures() throws Exception {
        AtomicInteger served = new AtomicInteger();
        HttpServer server = server(served);
        try {
            LoadDriver driver = new LoadDriver(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/login"));

            LoadDriver.Result result = driver.run(4, 40, Duration.ofSeconds(30), (c, s) -> LoadDriver.loginJson("u" + c, "r"));

            assertThat(result.requests()).isEqualTo(40);
            assertThat(served.get()).isEqualTo(40);
            assertThat(result.failures()).isEqualTo(20);
            assertThat(result.statuses()).containsEntry(429, 20);
            assertThat(result.latencies().count()).isEqualTo(20);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void burstSendsExactlyOneRequestPerClient() throws Exception {
        AtomicInteger served = new AtomicInteger();
        HttpServer server = server(served);
        try {
            LoadDriver driver = new LoadDriver(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/login"));

            LoadDriver.Result result = driver.burst(25, (c, s) -> LoadDriver.loginJson("s" + c, "r"));

            assertThat(result.requests()).isEqualTo(25);
            assertThat(served.get()).isEqualTo(25);
        } finally {
            server.stop(0);
        }
    }

    /** Answers 200 and 429 alternately. */
    private static HttpServer server(AtomicInteger served) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/login", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int n = served.incrementAndGet();
            exchange.sendResponseHeaders(n % 2 == 0 ? 429 : 200, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }
}
