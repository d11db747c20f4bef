package dev.callchat.core.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Callbacks a provider's backend sends to this server about its rooms (Twilio's status callbacks and
 * webhooks), served by core at {@code POST /twilio/events} on every adapter. Core bounds and parses the
 * form-encoded body and renders the answer; the provider verifies the signature, drops replays and reports
 * what happened through its {@link RoomSignals}. A provider without callbacks uses {@link #NONE}, and the
 * route answers 404.
 */
public interface ProviderCallbacks {
    /** No callbacks: the route is not served. */
    ProviderCallbacks NONE = callback -> Verdict.UNSIGNED;

    /** What became of a callback. */
    enum Verdict {
        /** Verified and acted on (or ignored as an event callchat does not follow): answered 204. */
        ACCEPTED,
        /** Verified, but seen before (a retry or a replay): answered 204, nothing is reported again. */
        DUPLICATE,
        /** No signature: answered 403. */
        UNSIGNED,
        /** A signature that does not match: answered 403. */
        BAD_SIGNATURE
    }

    /**
     * One callback as received.
     *
     * @param url    the URL the sender called, as the sender saw it: the configured public URL plus the path,
     *               never the {@code Host} this server saw (behind a reverse proxy they differ)
     * @param params the form parameters (the last value of a repeated name)
     * @param header a request header by case-insensitive name
     */
    record Callback(String url, Map<String, String> params, Function<String, Optional<String>> header) {
        /**
         * Copies the parameters.
         *
         * @param url    the URL the sender called
         * @param params the form parameters
         * @param header a request header by case-insensitive name
         */
        public Callback {
            Objects.requireNonNull(url, "url");
            params = Map.copyOf(params);
            Objects.requireNonNull(header, "header");
        }

        /** Never prints parameters (message bodies) or headers (the signature). */
        @Override
        public String toString() {
            return "Callback[url=" + url + ", params=" + params.keySet() + "]";
        }
    }

    /**
     * Verifies and handles one callback. Must not block for long (the sender waits; Twilio gives up after
     * 15 s): slow follow-ups such as removing a banned participant again run elsewhere.
     *
     * @param callback the callback
     * @return what became of it
     */
    Verdict receive(Callback callback);
}
