package dev.callchat.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaxUploadConfigTest {
    @Test
    void defaultsToTenMegabytes() {
        assertThat(Config.defaults().maxUploadBytes()).isEqualTo(10L * 1024 * 1024);
    }

    @ParameterizedTest
    @CsvSource({"2048, 2048", "1KB, 1024", "512kib, 524288", "5MB, 5242880", "5 mib, 5242880", "100M, 104857600"})
    void acceptsBytesOrBinaryUnits(String value, long bytes) {
        assertThat(Config.from(Map.of("CALLCHAT_MAX_UPLOAD", value)).maxUploadBytes()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ten", "-1", "1023", "101MB", "5GB", "1.5MB", "999999999999MB"})
    void refusesValuesThatAreNotASizeBetweenOneKilobyteAndAHundredMegabytes(String value) {
        assertThatThrownBy(() -> Config.from(Map.of("CALLCHAT_MAX_UPLOAD", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CALLCHAT_MAX_UPLOAD");
    }

    @Test
    void memberQuotaDefaultsToFiveLargestFiles() {
        assertThat(Config.defaults().memberUploadQuotaBytes()).isEqualTo(50L * 1024 * 1024);
        assertThat(Config.from(Map.of("CALLCHAT_MAX_UPLOAD", "1MB")).memberUploadQuotaBytes()).isEqualTo(5L * 1024 * 1024);
    }

    @Test
    void memberQuotaCanBeSet() {
        Config config = Config.from(Map.of("CALLCHAT_MAX_UPLOAD", "1MB", "CALLCHAT_MEMBER_UPLOAD_QUOTA", "3MB"));

        assertThat(config.memberUploadQuotaBytes()).isEqualTo(3L * 1024 * 1024);
        assertThat(config.toString()).contains("memberUploadQuotaBytes=3145728");
    }

    @ParameterizedTest
    @ValueSource(strings = {"512KB", "21MB", "lots", "999999999999MB"})
    void memberQuotaMustBeBetweenOneFileAndTheHubCap(String value) {
        assertThatThrownBy(() -> Config.from(Map.of("CALLCHAT_MAX_UPLOAD", "1MB", "CALLCHAT_MEMBER_UPLOAD_QUOTA", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CALLCHAT_MEMBER_UPLOAD_QUOTA");
    }
}
