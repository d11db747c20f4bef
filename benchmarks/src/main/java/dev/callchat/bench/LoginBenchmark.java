package dev.callchat.bench;

import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.core.local.LocalProvider;
import dev.callchat.testing.FakeTwilio;
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
import java.util.concurrent.TimeUnit;

/**
 * A warm {@link CallSessionService#login}: the room exists and the user is enrolled, so this is the
 * whole CPU cost of a token refresh (identity, room lookup, enrollment memory, signing).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LoginBenchmark {
    private CallSessionService local;
    private CallSessionService twilio;
    private FakeTwilio fakeTwilio;
    private LoginRequest request = LoginRequest.of("ana", "My Room");

    /** Builds both services and logs in once on each, so every measured login is warm. */
    @Setup
    public void setUp() {
        Config localConfig = Providers.localConfig();
        local = CallSessionService.builder(localConfig)
                .provider(LocalProvider.create(localConfig, Clock.systemUTC())).build();
        local.login(request);
        // The fake answers the first login's calls; refreshes make none (section 2 checks that).
        fakeTwilio = FakeTwilio.start();
        Config twilioConfig = Providers.twilioConfig(fakeTwilio.baseUrl().toString());
        twilio = CallSessionService.builder(twilioConfig)
                .provider(TwilioProvider.create(twilioConfig, Clock.systemUTC())).build();
        twilio.login(request);
    }

    /** Closes the services and the fake. */
    @TearDown
    public void tearDown() {
        local.close();
        twilio.close();
        fakeTwilio.close();
    }

    /** @return the session of a repeated login, local provider (in-memory roles) */
    @Benchmark
    public CallSession warmLogin() {
        return local.login(request);
    }

    /** @return the session of a repeated login, Twilio provider (room and enrollment remembered) */
    @Benchmark
    public CallSession warmTwilioRefresh() {
        return twilio.login(request);
    }
}
