package dev.callchat.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsSectionTest {
    @Test
    void warmUpIsSteadyOnlyWhenTheLastTwoPairsMovedBothSidesByAtMostTheTolerance() {
        List<Double> climbing = List.of(1_000.0, 2_000.0, 3_000.0, 3_200.0);
        List<Double> flat = List.of(3_000.0, 3_100.0, 3_000.0, 3_050.0);

        assertThat(MetricsSection.steady(flat, flat, 2, 0.10)).isTrue();
        // The off side is flat, but the on side still climbed by 50 % one pair before the last.
        assertThat(MetricsSection.steady(climbing, flat, 2, 0.10)).isFalse();
        assertThat(MetricsSection.steady(flat, climbing, 2, 0.10)).isFalse();
        assertThat(MetricsSection.steady(climbing, climbing, 1, 0.10)).isTrue();
        // Two pairs cannot show two consecutive steps.
        assertThat(MetricsSection.steady(flat.subList(0, 2), flat.subList(0, 2), 2, 0.10)).isFalse();
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
