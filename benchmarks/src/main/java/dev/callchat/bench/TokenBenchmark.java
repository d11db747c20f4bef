package dev.callchat.bench;

import dev.callchat.core.local.LocalProvider;
import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.Provider;
import dev.callchat.core.spi.TokenIssuer;
import dev.callchat.twilio.TwilioProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Signing the one access token of a login with each provider's {@link TokenIssuer}, next to a
 * baseline that calls the signing library directly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenBenchmark {
    private Provider local;
    private Provider twilio;
    private TokenIssuer localTokens;
    private TokenIssuer twilioTokens;
    private TokenIssuer jjwtBaseline;
    private TokenIssuer twilioSdkBaseline;
    private String identity = "ana";
    private String room = "My Room";
    private Chatroom chatroom = new Chatroom("My Room", "CH" + "ab".repeat(16), Providers.SERVICE_SID);

    /** Builds both providers; the Twilio one points at a closed loopback port, as signing needs no I/O. */
    @Setup
    public void setUp() {
        Clock clock = Clock.systemUTC();
        local = LocalProvider.create(Providers.localConfig(), clock);
        twilio = TwilioProvider.create(Providers.twilioConfig("http://127.0.0.1:9"), clock);
        localTokens = local.tokens();
        twilioTokens = twilio.tokens();
        jjwtBaseline = BaselineTokens.jjwt(Providers.LOCAL_SECRET, Duration.ofHours(1), clock);
        twilioSdkBaseline = BaselineTokens.twilioSdk(Providers.ACCOUNT_SID, Providers.API_KEY_SID,
                Providers.API_KEY_SECRET, Duration.ofHours(1), clock);
    }

    /** Releases the providers' resources. */
    @TearDown
    public void tearDown() throws Exception {
        local.resources().close();
        twilio.resources().close();
    }

    /** @return an HS256 token from the local provider, video + chat grants */
    @Benchmark
    public TokenIssuer.IssuedToken localHs256() {
        return localTokens.issue(identity, room, chatroom);
    }

    /** @return a Twilio AccessToken with VideoGrant + ChatGrant from the Twilio provider */
    @Benchmark
    public TokenIssuer.IssuedToken twilioAccessToken() {
        return twilioTokens.issue(identity, room, chatroom);
    }

    /** @return the same HS256 token from jjwt directly */
    @Benchmark
    public TokenIssuer.IssuedToken jjwtBaseline() {
        return jjwtBaseline.issue(identity, room, chatroom);
    }

    /** @return the same AccessToken from twilio-java directly */
    @Benchmark
    public TokenIssuer.IssuedToken twilioSdkBaseline() {
        return twilioSdkBaseline.issue(identity, room, chatroom);
    }
}
