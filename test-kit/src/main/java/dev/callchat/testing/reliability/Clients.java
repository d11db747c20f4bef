package dev.callchat.testing.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** A browser's calls for the reliability tests: logins over HTTP and members on {@code /local/ws}. */
public final class Clients {
    /** The longest any single wait takes. */
    public static final Duration WAIT = Duration.ofSeconds(10);
    /** Parses answers. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;

    /** @param executor runs the client's work; shut it down to release its threads */
    public Clients(ExecutorService executor) {
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).executor(executor).build();
    }

    /**
     * One login's answer.
     *
     * @param status      HTTP status
     * @param contentType media type without parameters, lower case ("" when absent)
     * @param retryAfter  the {@code Retry-After} header, or null
     * @param body        the JSON body (or {@code {"raw": text}} when it is not JSON)
     */
    public record Answer(int status, String contentType, String retryAfter, JsonNode body) {
        /** @return whether this is a login with chat */
        public boolean chat() {
            return status == 200 && body.path("chat").asBoolean(false);
        }

        /** @return chat, video-only, or the status and media type of a refusal */
        public String outcome() {
            if (status == 200) {
                return chat() ? "chat" : "video-only";
            }
            return status + " " + contentType + (retryAfter == null ? "" : " +Retry-After");
        }

        /** @return whether this is a 5xx other than the documented 502/503 problem+json (503 with Retry-After) */
        public boolean leaked5xx() {
            if (status < 500) {
                return false;
            }
            boolean problem = "application/problem+json".equals(contentType);
            return !(problem && (status == 502 || (status == 503 && retryAfter != null)));
        }
    }

    /**
     * @param base     the server's root
     * @param username the username
     * @param room     the room
     * @param timeout  how long to wait for the answer
     * @return the answer
     * @throws IOException          when the exchange fails (including its timeout)
     * @throws InterruptedException when interrupted
     */
    public Answer login(URI base, String username, String room, Duration timeout) throws IOException, InterruptedException {
        String body = JSON.createObjectNode().put("username", username).put("room", room).toString();
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(base.resolve("/login"))
                .header("Content-Type", "application/json")
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        String type = response.headers().firstValue("Content-Type")
                .map(v -> v.split(";")[0].strip().toLowerCase(Locale.ROOT)).orElse("");
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException notJson) {
            json = JSON.createObjectNode().put("raw", new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Answer(response.statusCode(), type, response.headers().firstValue("Retry-After").orElse(null), json);
    }

    /**
     * @param base     the server's root
     * @param username the username
     * @param room     the room
     * @return the token of a successful login
     * @throws IOException          when the exchange fails
     * @throws InterruptedException when interrupted
     */
    public String token(URI base, String username, String room) throws IOException, InterruptedException {
        Answer answer = login(base, username, room, WAIT);
        if (answer.status() != 200) {
            throw new IllegalStateException("login failed: " + answer);
        }
        return answer.body().get("token").textValue();
    }

    /** A member of a room on {@code /local/ws}: welcome received, close code recorded. */
    public final class Member implements AutoCloseable {
        private final CompletableFuture<String> welcome = new CompletableFuture<>();
        private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private final WebSocket socket;

        Member(URI base, String token) throws Exception {
            URI ws = URI.create("ws://" + base.getRawAuthority() + "/local/ws");
            socket = http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(ws, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    if (data.toString().contains("\"welcome\"")) {
                        welcome.complete(data.toString());
                    }
                    webSocket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                    closeCode.complete(statusCode);
                    return null;
                }

                @Override
                public void onError(WebSocket webSocket, Throwable error) {
                    closeCode.complete(-1);
                }
            }).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            socket.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}", true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            welcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * Sends without waiting for the server; stops quietly once it has closed the socket.
         *
         * @param frame the text frame
         * @param count how many times
         */
        public void flood(String frame, int count) {
            for (int i = 0; i < count && !closeCode.isDone(); i++) {
                try {
                    socket.sendText(frame, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception closed) {
                    return;
                }
            }
        }

        /**
         * @return the close code the server sent (-1 for an error), waiting at most {@link #WAIT}
         * @throws Exception when none arrives in time
         */
        public int awaitClose() throws Exception {
            return closeCode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Drops the connection without a close handshake. */
        @Override
        public void close() {
            socket.abort();
        }
    }

    /**
     * @param base  the server's root
     * @param token a token from {@link #token}
     * @return a member welcomed into the token's room
     * @throws Exception when the socket cannot be opened or no welcome arrives
     */
    public Member memberWith(URI base, String token) throws Exception {
        return new Member(base, token);
    }

    /**
     * @param base     the server's root, in local mode
     * @param username the member
     * @param room     the room
     * @return a member who has been welcomed
     * @throws Exception when login, connect or welcome fail
     */
    public Member member(URI base, String username, String room) throws Exception {
        return new Member(base, token(base, username, room));
    }
}
