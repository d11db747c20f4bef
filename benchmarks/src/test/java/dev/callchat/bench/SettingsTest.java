package dev.callchat.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    @Test
    void defaultsRunEverySectionAgainstTheAdaptersJarsWithTwentyMillisecondsOfLatency() {
        Settings settings = Settings.parse();

        assertThat(settings.sections()).containsExactlyInAnyOrderElementsOf(Settings.ALL_SECTIONS);
        assertThat(settings.latency()).isEqualTo(Duration.ofMillis(20));
        assertThat(settings.undertowJar()).isEqualTo(Path.of("server-undertow/target/callchat-undertow.jar"));
        assertThat(settings.loginsBeforeRss()).isEqualTo(10_000);
        assertThat(settings.adapterJvmFlags()).contains("-Xmx128m");
        assertThat(settings.out()).isEqualTo(Path.of("BENCHMARKS.md"));
    }

    @Test
    void quickRunsNeverOverwriteTheRealReport() {
        assertThat(Settings.parse("--quick").out()).isEqualTo(Path.of("benchmarks/target/BENCHMARKS-quick.md"));
    }

    @Test
    void onlyNarrowsTheSections() {
        Settings settings = Settings.parse("--only", "jmh,hub", "--quick");

        assertThat(settings.runs("jmh")).isTrue();
        assertThat(settings.runs("http")).isFalse();
        assertThat(settings.quick()).isTrue();
    }

    @Test
    void unknownSectionIsRejectedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Settings.parse("--only", "jmh,disk"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("disk").hasMessageContaining("calls");
    }
}
