package dev.callchat.bench;

import dev.callchat.core.Chatroom;
import dev.callchat.core.TokenIssuer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** Signing the one access token of a login, with each provider's {@link TokenIssuer}. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenBenchmark {
    private Providers.Choice local;
    private Providers.Choice twilio;
    private TokenIssuer localTokens;
    private TokenIssuer twilioTokens;
    private String identity = "ana";
    private String room = "My Room";
    private Chatroom chatroom = new Chatroom("My Room", "CH" + "ab".repeat(16), Providers.SERVICE_SID);

    /** Builds both providers; the Twilio one points at a closed loopback port, as signing needs no I/O. */
    @Setup
    public void setUp() {
        local = Providers.local(Providers.localConfig(), Clock.systemUTC());
        twilio = Providers.twilio(Providers.twilioConfig("http://127.0.0.1:9"), Clock.systemUTC());
        localTokens = local.provider().tokens();
        twilioTokens = twilio.provider().tokens();
    }

    /** Releases the providers' resources. */
    @TearDown
    public void tearDown() throws Exception {
        local.provider().resources().close();
        twilio.provider().resources().close();
    }

    /** @return an HS256 token from the local provider, video + chat grants */
    @Benchmark
    public TokenIssuer.IssuedToken localHs256() {
        return localTokens.issue(identity, room, chatroom);
    }

    /** @return a Twilio AccessToken with VideoGrant + ChatGrant */
    @Benchmark
    public TokenIssuer.IssuedToken twilioAccessToken() {
        return twilioTokens.issue(identity, room, chatroom);
    }
}
