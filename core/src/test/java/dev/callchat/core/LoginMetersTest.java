package dev.callchat.core;

import dev.callchat.core.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a plain-Java embedder sees on the registry it passes in: every login counted once by outcome. */
class LoginMetersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private long count(MeterRegistry meters, String outcome) {
        return meters.get(CallChatMeters.LOGINS).tags("provider", "local", "outcome", outcome).timer().count();
    }

    @Test
    void loginsAreCountedByOutcomeOnTheIntegratorsRegistry() {
        try (CallSessionService service = CallSessionService.builder(Config.defaults()).meterRegistry(registry).build()) {
            service.login(LoginRequest.of("ana", "Room"));
            service.login(LoginRequest.of("bo", "Room"));
            assertThatThrownBy(() -> service.login(LoginRequest.of("  ", "Room"))).isInstanceOf(CallChatException.class);

            assertThat(count(registry, CallChatMeters.LOGIN_OK)).isEqualTo(2);
            assertThat(count(registry, CallChatMeters.LOGIN_REFUSED)).isEqualTo(1);
            assertThat(count(registry, CallChatMeters.LOGIN_ERROR)).isZero();
            assertThat(service.meterRegistry()).isSameAs(registry);
        }
    }

    @Test
    void theLocalHubIsMeteredOnTheSameRegistry() {
        try (CallSessionService service = CallSessionService.builder(Config.defaults()).meterRegistry(registry).build()) {
            assertThat(registry.get(CallChatMeters.HUB_ROOMS).gauge().value()).isZero();
            assertThat(registry.get(CallChatMeters.HUB_FRAMES_IN).counter().count()).isZero();
            assertThat(service.localHub()).isPresent();
        }
    }

    @Test
    void withoutARegistryNothingIsKeptAndReadinessEndsWithClose() {
        CallSessionService service = CallSessionService.create(Config.defaults());
        service.login(LoginRequest.of("ana", "Room"));

        assertThat(service.meterRegistry().getMeters()).allSatisfy(meter ->
                assertThat(meter.measure()).allSatisfy(m -> assertThat(m.getValue()).isIn(0.0, Double.NaN)));
        assertThat(service.ready()).isTrue();
        service.close();
        service.close();
        assertThat(service.ready()).isFalse();
    }
}
