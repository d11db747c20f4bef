package dev.callchat.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsSectionTest {
    @Test
    void warmUpIsSteadyOnlyOnceTheLastWindowServedAboutAsMuchAsTheOneBefore() {
        // A JIT still compiling: +5 % a round, so neighbouring rounds always look alike.
        List<Double> creeping = List.of(1_000.0, 1_050.0, 1_100.0, 1_160.0, 1_220.0, 1_280.0);
        List<Double> flat = List.of(3_000.0, 3_100.0, 3_000.0, 3_050.0, 2_950.0, 3_050.0);

        assertThat(MetricsSection.steady(flat, flat, 3, 0.05)).isTrue();
        assertThat(MetricsSection.steady(creeping, creeping, 3, 0.05)).isFalse();
        // Both sides are summed: one side creeping moves the total less, but still by more than 5 % here.
        assertThat(MetricsSection.steady(creeping, List.of(0.0, 0.0, 0.0, 0.0, 0.0, 0.0), 3, 0.05)).isFalse();
        assertThat(MetricsSection.steady(creeping, creeping, 1, 0.05)).isTrue();
        // Five rounds cannot show two windows of three.
        assertThat(MetricsSection.steady(flat.subList(0, 5), flat.subList(0, 5), 3, 0.05)).isFalse();
    }

    @Test
    void quantilesInterpolateBetweenSortedNeighbours() {
        List<Double> ratios = List.of(1.10, 0.90, 1.00, 0.80, 1.20);

        assertThat(MetricsSection.median(ratios)).isCloseTo(1.00, within(1e-9));
        assertThat(MetricsSection.quantile(ratios, 0.25)).isCloseTo(0.90, within(1e-9));
        assertThat(MetricsSection.quantile(ratios, 0.75)).isCloseTo(1.10, within(1e-9));
        assertThat(MetricsSection.quantile(List.of(0.8, 1.0), 0.25)).isCloseTo(0.85, within(1e-9));
    }
}
