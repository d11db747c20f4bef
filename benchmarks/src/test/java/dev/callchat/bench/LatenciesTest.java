package dev.callchat.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatenciesTest {
    @Test
    void percentilesUseTheNearestRankOverAllMergedSamples() {
        Latencies a = new Latencies(1);
        Latencies b = new Latencies(1);
        for (int i = 1; i <= 50; i++) {
            a.record(i);
            b.record(100 - i + 1);
        }

        Latencies all = Latencies.merge(List.of(a, b));

        assertThat(all.count()).isEqualTo(100);
        assertThat(all.percentile(50)).isEqualTo(50);
        assertThat(all.percentile(99)).isEqualTo(99);
        assertThat(all.percentile(100)).isEqualTo(100);
        assertThat(all.percentile(0)).isEqualTo(1);
    }

    @Test
    void noSamplesGiveZeroRatherThanAnError() {
        assertThat(new Latencies(4).percentile(99)).isZero();
    }

    @Test
    void percentileOutsideZeroToHundredIsRejected() {
        assertThatThrownBy(() -> new Latencies(4).percentile(101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void millisKeepTwoDecimalsBelowTenMilliseconds() {
        assertThat(Latencies.millis(1_234_567)).isEqualTo(String.format("%.2f ms", 1.23));
        assertThat(Latencies.millis(123_456_789)).isEqualTo("123 ms");
    }
}
