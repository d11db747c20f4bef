package dev.callchat.testing.contract;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * RFC 6455 over a plain socket, for what {@link java.net.http.WebSocket} will not send: invalid UTF-8
 * in a text frame, reserved bits, a chosen {@code Origin}. Reads with a generous timeout that only
 * bounds a hang.
 */
final class RawWebSocket implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int status;

    private RawWebSocket(URI base, List<String> extraHeaders) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        StringBuilder head = new StringBuilder("GET /local/ws HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + KEY
                + "\r\nSec-WebSocket-Version: 13\r\n");
        extraHeaders.forEach(h -> head.append(h).append("\r\n"));
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String statusLine = line();
        status = statusLine == null ? -1 : Integer.parseInt(statusLine.split(" ", 3)[1]);
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            // headers of the handshake answer: not needed
        }
    }

    /**
     * @param base         the server's root
     * @param extraHeaders header lines to add to the upgrade request, e.g. {@code Origin: https://a.example}
     * @return the connection after the server's answer to the upgrade (see {@link #status()})
     */
    static RawWebSocket open(URI base, String... extraHeaders) throws IOException {
        return new RawWebSocket(base, List.of(extraHeaders));
    }

    /** @return the status of the answer to the upgrade: 101 when it was accepted */
    int status() {
        return status;
    }

    /**
     * Sends one masked frame as a browser would.
     *
     * @param firstByte FIN, RSV1-3 and the opcode, e.g. {@code 0x81} for a final text frame
     * @param payload   the payload, at most 125 bytes
     */
    void sendFrame(int firstByte, byte[] payload) throws IOException {
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        frame.write(0x80 | payload.length);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /**
     * Reads frames until the server's close frame or the end of the connection.
     *
     * @return the close code the server sent, or empty when it closed the connection without one
     */
    Optional<Integer> closeCode() throws IOException {
        try {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return Optional.empty();
                }
                int second = in.read();
                long length = second & 0x7f;
                if (length == 126) {
                    length = (in.read() << 8) | in.read();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | in.read();
                    }
                }
                byte[] payload = in.readNBytes((int) length);
                if ((first & 0x0f) == 0x8) {
                    return payload.length >= 2 ? Optional.of(((payload[0] & 0xff) << 8) | (payload[1] & 0xff)) : Optional.of(1005);
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither closed the socket nor sent a close frame within "
                    + TIMEOUT_MILLIS / 1000 + " s", e);
        } catch (IOException reset) {
            return Optional.empty();
        }
    }

    private String line() throws IOException {
        return RawHttp.line(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** @return the frames' payload bytes for a text made of these parts (helper for readability) */
    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
