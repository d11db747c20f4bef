package dev.callchat.core.spi;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The WebSocket rules every adapter's {@code /local/ws} shares. */
class HubSocketTest {
    private final List<String> received = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final HubPeer peer = new HubPeer() {
        @Override
        public void sendText(String frame, Consumer<Throwable> onDone) {
            events.add("send " + frame);
            pendingSend = onDone;
        }

        @Override
        public void close(int code, String reason) {
            events.add("close " + code);
        }
    };
    private Consumer<Throwable> pendingSend;
    private int closed;

    private final RoomHub hub = new RoomHub() {
        @Override
        public HubConnection connect(HubPeer connected) {
            return new HubConnection() {
                @Override
                public void onText(String frame) {
                    received.add(frame);
                }

                @Override
                public void onClose() {
                    closed++;
                }

                @Override
                public int maxFrameChars() {
                    return 8;
                }
            };
        }

        @Override
        public UploadLimits uploadLimits() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void authorizeUpload(String token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SharedFile upload(String token, String fileName, byte[] content) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileDownload download(String token, String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    };

    @Test
    void partsAreJoinedIntoOneFrame() {
        HubSocket socket = HubSocket.connect(hub, peer);
        socket.onText("abc", false);
        socket.onText("def", true);
        socket.onText("whole", true);
        assertThat(received).containsExactly("abcdef", "whole");
        assertThat(events).isEmpty();
    }

    @Test
    void aFrameOverTheLimitClosesWith1009AndIsNotPassedOn() {
        HubSocket socket = HubSocket.connect(hub, peer);
        socket.onText("abcde", false);
        socket.onText("fghij", true);
        socket.onText("123456789");
        assertThat(received).isEmpty();
        assertThat(events).containsExactly("close 1009", "close 1009");
    }

    @Test
    void binaryClosesWith1003AndTheClosureReachesTheHub() {
        HubSocket socket = HubSocket.connect(hub, peer);
        socket.onBinary();
        socket.onClose();
        assertThat(events).containsExactly("close 1003");
        assertThat(closed).isEqualTo(1);
    }

    @Test
    void aCloseWaitsForTheSendInFlight() {
        HubPeer ordered = HubSocket.closingAfterSend(peer);
        List<Throwable> done = new ArrayList<>();
        ordered.sendText("error", done::add);
        ordered.close(4409, "replaced");
        assertThat(events).containsExactly("send error");
        pendingSend.accept(null);
        assertThat(events).containsExactly("send error", "close 4409");
        assertThat(done).containsExactly((Throwable) null);
        ordered.close(1001, "going away");
        assertThat(events).endsWith("close 1001");
    }

    @Test
    void aSendThatThrowsOnAClosedSocketCountsAsFailedAndLetsAPendingCloseThrough() {
        List<String> closes = new ArrayList<>();
        HubPeer throwing = new HubPeer() {
            @Override
            public void sendText(String frame, java.util.function.Consumer<Throwable> onDone) {
                throw new IllegalStateException("session closed");
            }

            @Override
            public void close(int code, String reason) {
                closes.add("close " + code);
            }
        };
        HubPeer ordered = HubSocket.closingAfterSend(throwing);
        List<Throwable> done = new ArrayList<>();

        ordered.sendText("late", done::add);
        ordered.close(1001, "going away");

        assertThat(done).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(closes).as("not held back by a send that never started").containsExactly("close 1001");
    }

    @Test
    void aPeerFromASessionsSendAndCloseIgnoresClosingASocketAlreadyGone() {
        List<String> sent = new ArrayList<>();
        HubPeer peer = HubPeer.of((frame, onDone) -> {
            sent.add(frame);
            onDone.accept(null);
        }, (code, reason) -> {
            throw new java.io.IOException("already gone");
        });
        List<Throwable> done = new ArrayList<>();

        peer.sendText("hello", done::add);
        peer.close(1001, "going away");

        assertThat(sent).containsExactly("hello");
        assertThat(done).containsExactly((Throwable) null);
    }

    @Test
    void hubSocketsCountOpenSocketsUntilEachClosesOnce() {
        HubSockets sockets = new HubSockets(hub);
        HubSocket first = sockets.connect(peer);
        HubSocket second = sockets.connect(peer);
        first.onClose();
        first.onClose();
        assertThat(sockets.allClosed()).isFalse();
        assertThat(closed).isEqualTo(1);
        second.onClose();
        assertThat(sockets.allClosed()).isTrue();
        assertThat(closed).isEqualTo(2);
    }
}
