package dev.callchat.testing.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** The hostile-input battery: each request and the 4xx statuses the contract allows for it. */
final class BadInputs {
    private BadInputs() {
    }

    /**
     * @param name     what the case sends
     * @param request  the raw request
     * @param statuses acceptable statuses (one, except where the contract leaves the choice to the adapter)
     */
    record BadInput(String name, RawHttp.Request request, Set<Integer> statuses) {
        @Override
        public String toString() {
            return name + " -> " + statuses;
        }
    }

    static Stream<BadInput> all() {
        List<BadInput> cases = new ArrayList<>();
        // Shape of the JSON
        cases.add(json("empty body", "", 400));
        cases.add(json("JSON null", "null", 400));
        cases.add(json("JSON array", "[]", 400));
        cases.add(json("JSON number", "42", 400));
        cases.add(json("JSON string", "\"x\"", 400));
        cases.add(json("empty object (no username)", "{}", 401));
        cases.add(json("username is a number", "{\"username\":42}", 400));
        cases.add(json("username is an array", "{\"username\":[\"ana\"]}", 400));
        cases.add(json("username is an object", "{\"username\":{\"name\":\"ana\"}}", 400));
        cases.add(json("username is a boolean", "{\"username\":true}", 400));
        cases.add(json("username is null", "{\"username\":null}", 401));
        cases.add(json("username is empty", "{\"username\":\"\"}", 401));
        cases.add(json("username is whitespace only", "{\"username\":\" \\t  \"}", 401));
        cases.add(json("username has 65 characters", "{\"username\":\"" + "a".repeat(65) + "\"}", 400));
        cases.add(json("username of 100 KB", "{\"username\":\"" + "a".repeat(100 * 1024) + "\"}", 413));
        cases.add(json("username with an escaped control character", "{\"username\":\"an\\u0007a\"}", 400));
        cases.add(json("username with a raw control character", "{\"username\":\"an\u0001a\"}", 400));
        cases.add(json("username with a bidi override", "{\"username\":\"ana\u202Egpj.exe\"}", 400));
        cases.add(json("username with a line separator", "{\"username\":\"ana\u2028bob\"}", 400));
        cases.add(json("username with an unpaired surrogate", "{\"username\":\"ana\\uD800\"}", 400));
        // Names that show nothing (README, "Names"): each alone, raw and as a JSON escape
        for (String hex : List.of("200B", "00A0", "FEFF", "2060", "3164", "2800", "00AD", "200E", "061C", "FFA0")) {
            cases.add(json("username is only U+" + hex, "{\"username\":\"\\u" + hex + "\"}", 400));
            cases.add(json("username is only a raw U+" + hex, "{\"username\":\"" + Character.toString(Integer.parseInt(hex, 16))
                    + "\"}", 400));
        }
        cases.add(json("username is a lone combining mark", "{\"username\":\"\\u0301\"}", 400));
        cases.add(json("username starts with a combining mark", "{\"username\":\"\\u0301ana\"}", 400));
        cases.add(json("username is zero-width spaces and no-break spaces", "{\"username\":\"\\u200B\\u00A0\\u200B\"}", 400));
        cases.add(json("room is only a zero-width space", "{\"username\":\"ana\",\"room\":\"\\u200B\"}", 400));
        cases.add(login("invalid UTF-8 bytes", "application/json",
                concat("{\"username\":\"an".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC3, 0x28},
                        "\"}".getBytes(StandardCharsets.US_ASCII)), 400));
        cases.add(json("duplicate keys", "{\"username\":\"ana\",\"username\":\"bob\"}", 400));
        cases.add(json("trailing tokens", "{\"username\":\"ana\"} {\"username\":\"bob\"}", 400));
        cases.add(json("truncated JSON", "{\"username\":\"ana\"", 400));
        cases.add(json("comments in JSON", "{/* hi */\"username\":\"ana\"}", 400));
        cases.add(json("single-quoted JSON", "{'username':'ana'}", 400));
        cases.add(json("2,000-deep nesting within 4 KiB", "{\"x\":" + "[".repeat(2000) + "]".repeat(2000) + ",\"username\":\"ana\"}", 400));
        cases.add(json("10,000-deep nesting", "{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}", 413, 400));
        cases.add(json("room is a number", "{\"username\":\"ana\",\"room\":7}", 400));
        cases.add(json("room is blank", "{\"username\":\"ana\",\"room\":\"  \"}", 400));
        cases.add(json("room has 129 characters", "{\"username\":\"ana\",\"room\":\"" + "r".repeat(129) + "\"}", 400));
        // Size
        cases.add(new BadInput("5 MB body", new RawHttp.Request("POST", "/login",
                List.of("Host: localhost", "Content-Type: application/json", "Content-Length: " + 5 * 1024 * 1024,
                        "Connection: close"),
                List.of(new byte[5 * 1024 * 1024]), false), Set.of(413)));
        cases.add(new BadInput("chunked body over the limit", new RawHttp.Request("POST", "/login",
                List.of("Host: localhost", "Content-Type: application/json", "Transfer-Encoding: chunked", "Connection: close"),
                chunks(6, 1024), false), Set.of(413)));
        cases.add(new BadInput("Content-Length larger than the body sent", new RawHttp.Request("POST", "/login",
                List.of("Host: localhost", "Content-Type: application/json", "Content-Length: 200", "Connection: close"),
                List.of("{\"username\":\"ana\"".getBytes(StandardCharsets.US_ASCII)), true), Set.of(400)));
        // Content type
        cases.add(login("text/plain", "text/plain", "{\"username\":\"ana\"}", 415));
        cases.add(login("form post", "application/x-www-form-urlencoded", "username=ana", 415));
        cases.add(login("multipart form", "multipart/form-data; boundary=x",
                "--x\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nana\r\n--x--\r\n", 415));
        cases.add(login("missing content type", null, "{\"username\":\"ana\"}", 415));
        cases.add(login("JSON declared as ISO-8859-1", "application/json; charset=iso-8859-1", "{\"username\":\"ana\"}", 415));
        // Methods
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
            cases.add(new BadInput(method + " /login", simple(method, "/login"), Set.of(405)));
        }
        cases.add(new BadInput("DELETE /api/login", simple("DELETE", "/api/login"), Set.of(405)));
        cases.add(new BadInput("POST /health", simple("POST", "/health"), Set.of(405)));
        // Paths
        cases.add(new BadInput("unknown path", simple("GET", "/no-such-page"), Set.of(404)));
        cases.add(new BadInput("dot-dot segments", simple("GET", "/../../pom.xml"), Set.of(400, 404)));
        cases.add(new BadInput("dot-dot after a folder", simple("GET", "/sub/../../../etc/passwd"), Set.of(400, 404)));
        cases.add(new BadInput("encoded dot-dot", simple("GET", "/%2e%2e/%2e%2e/etc/passwd"), Set.of(400, 404)));
        cases.add(new BadInput("encoded slash", simple("GET", "/..%2f..%2fpom.xml"), Set.of(400, 404)));
        cases.add(new BadInput("encoded backslash", simple("GET", "/..%5c..%5cpom.xml"), Set.of(400, 404)));
        cases.add(new BadInput("raw backslash", simple("GET", "/..\\..\\pom.xml"), Set.of(400, 404)));
        cases.add(new BadInput("encoded NUL", simple("GET", "/index.html%00.js"), Set.of(400, 404)));
        cases.add(new BadInput("class file next to the assets", simple("GET", "/../../../dev/callchat/core/http/CallChatHttp.class"),
                Set.of(400, 404)));
        cases.add(new BadInput("absolute-form target with a backslash", simple("GET", "http://localhost/..\\..\\pom.xml"),
                Set.of(400, 404)));
        cases.add(new BadInput("a 10 KB URL", simple("GET", "/" + "a".repeat(10 * 1024)), Set.of(400, 404, 414)));
        return cases.stream();
    }

    /**
     * Requests that break HTTP/1.1 itself. Adapters' parsers reject them before any adapter code
     * runs, so the contract only asks for a 4xx (or a closed connection) whose body is empty or a
     * problem: never a 5xx, a stack trace, an HTML page or a framework's own error JSON.
     */
    static Stream<BadInput> malformedHttp() {
        String login = "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
        List<BadInput> cases = new ArrayList<>();
        cases.add(malformed("non-numeric Content-Length", login + "Content-Length: abc\r\nConnection: close\r\n\r\n{}"));
        cases.add(malformed("two different Content-Lengths", login
                + "Content-Length: 2\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{}"));
        cases.add(malformed("Transfer-Encoding and Content-Length together (smuggling)", login
                + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n"));
        cases.add(malformed("invalid chunk size", login
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
        cases.add(malformed("header line without a colon", "GET /health HTTP/1.1\r\nHost: localhost\r\nBroken header\r\n"
                + "Connection: close\r\n\r\n"));
        cases.add(malformed("garbage request line", "\u0001\u0002 nonsense\r\n\r\n"));
        cases.add(malformed("HTTP/1.1 without Host", "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n"));
        StringBuilder many = new StringBuilder("GET /health HTTP/1.1\r\nHost: localhost\r\n");
        IntStream.range(0, 1000).forEach(i -> many.append("X-Filler-").append(i).append(": v\r\n"));
        cases.add(malformed("1,000 headers", many.append("Connection: close\r\n\r\n").toString()));
        return cases.stream();
    }

    private static BadInput malformed(String name, String bytes) {
        // The whole request travels as "body" so that the head is sent exactly as written.
        return new BadInput(name, new RawHttp.Request(null, null, List.of(),
                List.of(bytes.getBytes(StandardCharsets.ISO_8859_1)), false), Set.of(400, 413, 414, 431));
    }

    /** 200 extra headers on a valid login: accepted, or refused as a problem (431), never a crash. */
    static RawHttp.Request manyHeaders(int count) {
        List<String> headers = new ArrayList<>(List.of("Host: localhost", "Content-Type: application/json", "Connection: close"));
        IntStream.range(0, count).forEach(i -> headers.add("X-Filler-" + i + ": value-" + i));
        byte[] body = "{\"username\":\"ana\"}".getBytes(StandardCharsets.UTF_8);
        headers.add("Content-Length: " + body.length);
        return new RawHttp.Request("POST", "/login", headers, List.of(body), false);
    }

    static RawHttp.Request simple(String method, String target) {
        return new RawHttp.Request(method, target, List.of("Host: localhost", "Content-Length: 0", "Connection: close"),
                List.of(), false);
    }

    private static BadInput json(String name, String body, Integer... statuses) {
        return login(name, "application/json", body, statuses);
    }

    private static BadInput login(String name, String contentType, String body, Integer... statuses) {
        return login(name, contentType, body.getBytes(StandardCharsets.UTF_8), statuses);
    }

    private static BadInput login(String name, String contentType, byte[] body, Integer... statuses) {
        List<String> headers = new ArrayList<>(List.of("Host: localhost", "Content-Length: " + body.length, "Connection: close"));
        if (contentType != null) {
            headers.add("Content-Type: " + contentType);
        }
        return new BadInput(name, new RawHttp.Request("POST", "/login", headers, List.of(body), false),
                Arrays.stream(statuses).collect(Collectors.toUnmodifiableSet()));
    }

    private static List<byte[]> chunks(int count, int size) {
        List<byte[]> parts = new ArrayList<>();
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) ' ');
        for (int i = 0; i < count; i++) {
            parts.add((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            parts.add(data);
            parts.add("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        parts.add("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return parts;
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
