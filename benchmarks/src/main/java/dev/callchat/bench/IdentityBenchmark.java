package dev.callchat.bench;

import dev.callchat.core.IdentityPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/** {@link IdentityPolicy#standard()} on the names a login carries: every login pays this twice. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IdentityBenchmark {
    private final IdentityPolicy policy = IdentityPolicy.standard();
    // Non-final fields, so the JIT cannot fold the inputs into constants.
    private String asciiName = "  ana  ";
    // "Zoë" with a combining diaeresis: NFC has real work to do.
    private String decomposedName = "Zoe\u0308 \u00c5ngstr\u00f6m";
    private String roomName = "My Room";

    /** @return the normalized identity of a plain ASCII name with spaces to trim */
    @Benchmark
    public String asciiIdentity() {
        return policy.identity(asciiName);
    }

    /** @return the normalized identity of a name that NFC recomposes */
    @Benchmark
    public String unicodeIdentity() {
        return policy.identity(decomposedName);
    }

    /** @return the normalized room name */
    @Benchmark
    public String room() {
        return policy.room(roomName);
    }
}
