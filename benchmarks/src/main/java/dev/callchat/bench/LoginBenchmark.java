package dev.callchat.bench;

import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.core.local.LocalProvider;
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
 * A warm {@link CallSessionService#login} with in-memory roles: the room exists and the user is
 * enrolled, so this is the whole CPU cost of a token refresh (identity, lookup, enroll, sign).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LoginBenchmark {
    private CallSessionService service;
    private LoginRequest request = LoginRequest.of("ana", "My Room");

    /** Builds the service and logs in once, so every measured login is warm. */
    @Setup
    public void setUp() {
        Config config = Providers.localConfig();
        service = CallSessionService.builder(config).provider(LocalProvider.create(config, Clock.systemUTC())).build();
        service.login(request);
    }

    /** Closes the service. */
    @TearDown
    public void tearDown() {
        service.close();
    }

    /** @return the session of a repeated login */
    @Benchmark
    public CallSession warmLogin() {
        return service.login(request);
    }
}
