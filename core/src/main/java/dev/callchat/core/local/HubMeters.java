package dev.callchat.core.local;

import dev.callchat.core.CallChatMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/** The local hub's meters: gauges read the hub when scraped, counters are bumped by its connections. */
final class HubMeters {
    /** For a hub nobody meters: an empty composite's counters do nothing. */
    static final HubMeters NONE = new HubMeters(new CompositeMeterRegistry());

    final Counter framesIn;
    final Counter framesOut;
    final Counter slowConsumerCloses;

    private HubMeters(MeterRegistry registry) {
        framesIn = Counter.builder(CallChatMeters.HUB_FRAMES_IN)
                .description("WebSocket frames the local hub received").register(registry);
        framesOut = Counter.builder(CallChatMeters.HUB_FRAMES_OUT)
                .description("WebSocket frames the local hub sent").register(registry);
        slowConsumerCloses = Counter.builder(CallChatMeters.HUB_SLOW_CONSUMER_CLOSES)
                .description("Members dropped because they did not read their frames fast enough").register(registry);
    }

    /** Meters {@code hub} on {@code registry}; the gauges hold the hub weakly, as Micrometer's gauges do. */
    static void register(LocalRoomHub hub, MeterRegistry registry) {
        Gauge.builder(CallChatMeters.HUB_ROOMS, hub, LocalRoomHub::roomCount)
                .description("Rooms of the local hub that have members").register(registry);
        Gauge.builder(CallChatMeters.HUB_MEMBERS, hub, LocalRoomHub::memberCount)
                .description("Authenticated members across the local hub's rooms").register(registry);
        Gauge.builder(CallChatMeters.HUB_FILE_BYTES, hub, LocalRoomHub::fileBytes)
                .description("Bytes of shared files the local hub holds in memory").baseUnit(BaseUnits.BYTES)
                .register(registry);
        hub.meters(new HubMeters(registry));
    }
}
