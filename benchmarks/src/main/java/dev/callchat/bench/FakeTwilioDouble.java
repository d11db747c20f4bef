package dev.callchat.bench;

import java.time.Duration;
import java.util.Optional;

/** Binds {@link TwilioDouble} to {@code dev.callchat.testing.FakeTwilio} from core's test-jar. */
final class FakeTwilioDouble {
    private FakeTwilioDouble() {
    }

    /** @return a started fake, or empty while the branch providing FakeTwilio is not merged */
    static Optional<TwilioDouble> start(Duration latency) {
        return Optional.empty();
    }
}
