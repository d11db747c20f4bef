package dev.callchat.bench;

import dev.callchat.testing.FakeTwilio;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Binds {@link TwilioDouble} to {@link FakeTwilio} from the callchat-test kit. */
final class FakeTwilioDouble implements TwilioDouble {
    private final FakeTwilio fake;
    private volatile int seeded;

    private FakeTwilioDouble(FakeTwilio fake) {
        this.fake = fake;
    }

    /** @return a started fake on a loopback port, adding {@code latency} to every call, with Twilio's 30 actions/s */
    static TwilioDouble start(Duration latency) {
        return new FakeTwilioDouble(FakeTwilio.start().latency(latency));
    }

    /**
     * @return a started fake without the per-conversation actions-per-second limit, for throughput runs that
     * measure callchat rather than Twilio's limit (the servers then pace to a limit raised as high)
     */
    static TwilioDouble startUnlimited(Duration latency) {
        return new FakeTwilioDouble(FakeTwilio.start().latency(latency).actionsPerSecond(Integer.MAX_VALUE));
    }

    @Override
    public URI baseUrl() {
        return fake.baseUrl();
    }

    @Override
    public void seedConversations(int count) {
        fake.seedConversations(count, "seeded-" + seeded + "-");
        seeded += count;
    }

    @Override
    public Map<String, Long> callsByRoute() {
        Map<String, Long> calls = new LinkedHashMap<>();
        for (FakeTwilio.Route route : FakeTwilio.Route.values()) {
            calls.put(route.name(), (long) fake.calls(route));
        }
        return calls;
    }

    @Override
    public long conversationsCreated() {
        // Seeding bypasses HTTP; whatever else exists was created by callchat through the API.
        return fake.conversationCount() - seeded;
    }

    @Override
    public void close() {
        fake.close();
    }
}
