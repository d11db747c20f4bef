package dev.callchat.bench;

import java.net.URI;
import java.util.Map;

/**
 * What the benchmarks need from the fake Twilio of the callchat-test kit: an address on loopback, seeded
 * conversations, and per-route call counters as the witness of every claim about Twilio traffic.
 * One file ({@link FakeTwilioDouble}) binds it to the real fake.
 */
interface TwilioDouble extends AutoCloseable {
    /** @return the base URL to put in {@code TWILIO_API_BASE_URL} */
    URI baseUrl();

    /** Creates {@code count} conversations with unique names, as if the account had been in use. */
    void seedConversations(int count);

    /** @return calls so far per route (such as {@code POST /v1/Conversations}) */
    Map<String, Long> callsByRoute();

    /** @return calls so far, all routes */
    default long totalCalls() {
        return callsByRoute().values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return conversations created through the API so far (seeded ones not counted) */
    long conversationsCreated();

    @Override
    void close();
}
