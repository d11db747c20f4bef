package dev.callchat.core.http;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mechanisms every adapter shares: read-ahead bodies, admission and draining, framing rules. */
class AdapterHelpersTest {
    private final CallSessionService service = CallSessionService.create(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")));
    private final CallChatHttp http = new CallChatHttp(service);

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void bodyBufferKeepsOneBytePastTheLimitAndSettlesOnce() throws Exception {
        BodyBuffer buffer = new BodyBuffer(4);
        assertThat(buffer.append(bytes("abc"), 0, 3)).isFalse();
        assertThat(buffer.append(bytes("defgh"), 1, 4)).isTrue();
        buffer.end();
        buffer.fail(new IOException("later"));
        BodySource read = buffer.done().get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> read.read(4)).isInstanceOf(BodyTooLargeException.class);
        assertThat(read.read(5)).isEqualTo(bytes("abcef"));
        assertThat(buffer.abandon()).isFalse();
    }

    @Test
    void aWholeBodyWithinTheLimitIsReadAsSent() throws Exception {
        BodyBuffer buffer = new BodyBuffer(4);
        buffer.append(bytes("ab"), 0, 2);
        buffer.append(bytes("cd"), 0, 2);
        buffer.end();
        assertThat(buffer.done().get(30, TimeUnit.SECONDS).read(4)).isEqualTo(bytes("abcd"));
    }

    @Test
    void aFailedOrAbandonedBodySettlesAccordingly() {
        BodyBuffer failed = new BodyBuffer(4);
        failed.fail(new IllegalStateException("gone"));
        assertThatThrownBy(() -> failed.done().join().read(4)).isInstanceOf(UncheckedIOException.class);

        BodyBuffer abandoned = new BodyBuffer(4);
        assertThat(abandoned.abandon()).isTrue();
        abandoned.end();
        assertThat(abandoned.done().isCancelled()).isTrue();

        BodyBuffer capped = new BodyBuffer(4);
        capped.tooLarge();
        assertThatThrownBy(() -> capped.done().join().read(1 << 20)).isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void adapterCallReadsHeadersAndBodyThroughItsParts() throws Exception {
        Map<String, String> headers = Map.of("Host", "example.com", "Content-Type", "application/json");
        AdapterCall call = new AdapterCall("POST", "/login", headers::get, "127.0.0.1", true, BodySource.none());
        assertThat(call.header("Host")).contains("example.com");
        assertThat(call.header("Origin")).isEmpty();
        assertThat(call.body()).isEmpty();
        AdapterCall big = call.withBody(BodySource.of(new byte[CallChatHttp.MAX_BODY_BYTES + 1]));
        assertThatThrownBy(big::body).isInstanceOf(BodyTooLargeException.class);
        assertThat(big.body(CallChatHttp.MAX_BODY_BYTES + 1)).hasSize(CallChatHttp.MAX_BODY_BYTES + 1);
        assertThat(http.handle(call.withBody(BodySource.tooLarge())).status()).isEqualTo(413);
        assertThat(http.handle(call.withBody(BodySource.failed(new IOException("cut short")))).status()).isEqualTo(400);
    }

    @Test
    void inFlightRefusesNewcomersWhileDrainingAndWaitsForThoseInside() throws Exception {
        InFlight inFlight = new InFlight(http);
        assertThat(inFlight.enter()).isEmpty();
        CountDownLatch drained = new CountDownLatch(1);
        Thread drainer = new Thread(() -> {
            if (inFlight.drain(Duration.ofSeconds(60))) {
                drained.countDown();
            }
        });
        drainer.start();
        while (!inFlight.draining()) {
            Thread.onSpinWait();
        }
        Optional<HttpReply> refused = inFlight.enter();
        assertThat(refused).isPresent();
        assertThat(refused.get().status()).isEqualTo(503);
        assertThat(refused.get().headers()).containsKey("Retry-After");
        assertThat(drained.getCount()).isEqualTo(1);
        inFlight.exit();
        assertThat(drained.await(60, TimeUnit.SECONDS)).isTrue();
        drainer.join();
    }

    @Test
    void uploadSlotsAreBounded() {
        InFlight inFlight = new InFlight(http);
        for (int i = 0; i < InFlight.UPLOAD_SLOTS; i++) {
            assertThat(inFlight.enterUpload()).isEmpty();
        }
        Optional<HttpReply> busy = inFlight.enterUpload();
        assertThat(busy).isPresent();
        assertThat(busy.get().status()).isEqualTo(503);
        inFlight.exitUpload();
        assertThat(inFlight.enterUpload()).isEmpty();
    }

    @Test
    void framingRefusesAmbiguousAndUnknowableLengths() {
        assertThat(Framing.violation(true, "chunked")).contains(Framing.AMBIGUOUS_LENGTH);
        assertThat(Framing.violation(false, "gzip")).contains(Framing.UNKNOWN_LENGTH);
        assertThat(Framing.violation(false, "chunked, gzip")).contains(Framing.UNKNOWN_LENGTH);
        assertThat(Framing.violation(false, "gzip, Chunked ")).isEmpty();
        assertThat(Framing.violation(false, null)).isEmpty();
    }

    @Test
    void encodedReplyIsHttp11AndClosesTheConnection() {
        HttpReply reply = http.problem(dev.callchat.core.ErrorKind.BAD_REQUEST, Framing.UNKNOWN_LENGTH);
        String wire = new String(Framing.encode(reply), StandardCharsets.ISO_8859_1);
        assertThat(wire).startsWith("HTTP/1.1 400 Bad request\r\n")
                .contains("\r\nContent-Length: " + reply.body().length + "\r\n")
                .contains("\r\nConnection: close\r\n\r\n")
                .endsWith(new String(reply.body(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void poolRunsMoreTasksThanThreadsInLine() throws Exception {
        ExecutorService pool = Threads.pool("test-pool", 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(5);
        for (int i = 0; i < 5; i++) {
            pool.execute(() -> {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ran.countDown();
            });
        }
        assertThat(((java.util.concurrent.ThreadPoolExecutor) pool).getPoolSize()).isEqualTo(2);
        release.countDown();
        assertThat(ran.await(60, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
