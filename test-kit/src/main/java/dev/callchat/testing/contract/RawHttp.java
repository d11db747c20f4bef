package dev.callchat.testing.contract;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, for requests {@link java.net.http.HttpClient} refuses to send:
 * invalid bytes, lying or missing headers, chunked bodies, cut-short bodies, raw paths.
 */
final class RawHttp {
    private static final int TIMEOUT_MILLIS = 10_000;

    private RawHttp() {
    }

    /** A parsed response; header names lower-cased. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * One request to send: the head as text (request line and headers, without the blank line) and
     * body parts; with a null method the body parts are the whole request, sent verbatim.
     */
    record Request(String method, String target, List<String> headers, List<byte[]> bodyParts, boolean halfClose) {
        byte[] head() {
            if (method == null) {
                return new byte[0]; // a verbatim request: everything is in the body parts
            }
            StringBuilder s = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            headers.forEach(h -> s.append(h).append("\r\n"));
            return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Sends the request (writing the body on another thread, so a server that answers early and
     * stops reading cannot deadlock us) and reads one response.
     *
     * @return the response, or empty when the server closed the connection without answering
     */
    static Optional<Response> exchange(URI base, Request request) throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(request.head());
                    for (byte[] part : request.bodyParts()) {
                        out.write(part);
                    }
                    out.flush();
                    if (request.halfClose()) {
                        socket.shutdownOutput();
                    }
                } catch (IOException ignored) {
                    // The server may answer and close before reading everything (413): that is allowed.
                }
            }, "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            try {
                return read(new BufferedInputStream(socket.getInputStream()), !"HEAD".equals(request.method()));
            } finally {
                writer.join(TIMEOUT_MILLIS);
            }
        }
    }

    /**
     * Sends {@code requests} verbatim (one or several pipelined) and reads every response until the
     * server closes the connection.
     *
     * @return the statuses of the responses, in order
     * @throws AssertionError when the connection is still open after the last response (10 s)
     */
    static List<Integer> exchangeAll(URI base, String requests) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<Integer> statuses = new ArrayList<>();
            try {
                for (Optional<Response> r = read(in, true); r.isPresent(); r = read(in, true)) {
                    statuses.add(r.get().status());
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("the connection is still open after " + statuses + " (" + TIMEOUT_MILLIS / 1000
                        + " s)", e);
            } catch (SocketException reset) {
                // closed: what matters is what was answered before
            }
            return statuses;
        }
    }

    private static Optional<Response> read(InputStream in, boolean bodyAllowed) throws IOException {
        String statusLine;
        try {
            statusLine = line(in);
        } catch (SocketException e) {
            return Optional.empty(); // reset before any byte of a response
        }
        if (statusLine == null) {
            return Optional.empty();
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new TreeMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.computeIfAbsent(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(h.substring(colon + 1).strip());
        }
        byte[] body = new byte[0];
        boolean hasBody = bodyAllowed && status != 304 && status != 204 && status >= 200;
        if (hasBody) {
            List<String> te = headers.getOrDefault("transfer-encoding", List.of());
            List<String> cl = headers.getOrDefault("content-length", List.of());
            if (te.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
                body = chunked(in);
            } else if (!cl.isEmpty()) {
                body = in.readNBytes(Integer.parseInt(cl.get(0)));
            } else {
                body = in.readAllBytes();
            }
        }
        return Optional.of(new Response(status, headers, body));
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int n = Integer.parseInt(size.split(";")[0].strip(), 16);
            if (n == 0) {
                for (String t = line(in); t != null && !t.isEmpty(); t = line(in)) {
                    // trailers: ignored
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line(in);
        }
    }

    /** @return one CRLF-terminated line, or null at end of stream */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
