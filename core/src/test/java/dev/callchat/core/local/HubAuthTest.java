package dev.callchat.core.local;

import dev.callchat.core.local.HubFixture.Member;
import dev.callchat.core.spi.Chatroom;
import io.jsonwebtoken.security.Keys;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HubAuthTest {
    @Test
    void noAuthBeforeTheDeadlineCloses4401() {
        try (HubFixture fixture = new HubFixture(HubLimits.defaults())) {
            FakePeer peer = FakePeer.inline("late");
            fixture.hub.connect(peer);

            fixture.deadlines.fireAll();

            assertThat(peer.closeCode()).isEqualTo(4401);
            assertThat(peer.closeReason()).isEqualTo("auth timeout");
            assertThat(peer.frames()).isEmpty();
        }
    }

    @Test
    void authInTimeCancelsTheDeadline() {
        try (HubFixture fixture = new HubFixture(HubLimits.defaults())) {
            Member ana = fixture.join("ana", "Room");

            fixture.deadlines.fireAll();

            assertThat(fixture.deadlines.pending()).isZero();
            assertThat(ana.peer().closeCode()).isZero();
            assertThat(ana.peer().last("welcome").path("identity").asText()).isEqualTo("ana");
        }
    }

    @Test
    void tokenSignedWithAnotherSecretCloses4401() {
        try (HubFixture fixture = new HubFixture(HubLimits.defaults())) {
            LocalTokens stranger = new LocalTokens(
                    Keys.hmacShaKeyFor("another secret, also 32 bytes long!".getBytes(StandardCharsets.UTF_8)),
                    Duration.ofHours(1), fixture.clock, new SecureRandom());
            String forged = stranger.issue("ana", "Room", new Chatroom("Room", "CH" + "1".repeat(32), HubFixture.SERVICE_SID)).jwt();
            FakePeer peer = FakePeer.inline("ana");

            fixture.hub.connect(peer).onText(HubFixture.auth(forged));

            assertThat(peer.closeCode()).isEqualTo(4401);
            assertThat(peer.frames("welcome")).isEmpty();
        }
    }

    @Test
    void expiredTokenCloses4401() {
        try (HubFixture fixture = new HubFixture(HubLimits.defaults())) {
            String token = fixture.token("ana", "Room");
            fixture.clock.add(Duration.ofHours(1).plusSeconds(1));
            FakePeer peer = FakePeer.inline("ana");

            fixture.hub.connect(peer).onText(HubFixture.auth(token));

            assertThat(peer.closeCode()).isEqualTo(4401);
            assertThat(peer.closeReason()).isEqualTo("invalid or expired token");
        }
    }

    @Test
    void garbageTokenCloses4401() {
        try (HubFixture fixture = new HubFixture(HubLimits.defaults())) {
            FakePeer peer = FakePeer.inline("ana");

            fixture.hub.connect(peer).onText(HubFixture.auth("not.a.jwt"));

            assertThat(peer.closeCode()).isEqualTo(4401);
        }
    }

    @Test
    void anyOtherFrameBeforeAuthCloses4401() {
        try (HubFixture fixture = new HubFixture(HubLimits.defaults())) {
            FakePeer chatter = FakePeer.inline("chatter");
            FakePeer garbler = FakePeer.inline("garbler");

            fixture.hub.connect(chatter).onText(HubFixture.chat("hello?"));
            fixture.hub.connect(garbler).onText("{not json");

            assertThat(chatter.closeCode()).isEqualTo(4401);
            assertThat(chatter.closeReason()).isEqualTo("auth required");
            assertThat(garbler.closeCode()).isEqualTo(4401);
        }
    }

    @Test
    void secondAuthIsAnErrorNotAReconnect() {
        try (HubFixture fixture = new HubFixture(HubLimits.defaults())) {
            Member ana = fixture.join("ana", "Room");

            ana.send(HubFixture.auth(fixture.token("ana", "Room")));

            assertThat(ana.peer().errorCodes()).containsExactly("already_authenticated");
            assertThat(ana.peer().frames("welcome")).hasSize(1);
        }
    }

    @Test
    void roomAndIdentityComeFromTheToken() {
        try (HubFixture fixture = new HubFixture(HubLimits.defaults())) {
            Member ana = fixture.join("ana", "My Room");

            assertThat(ana.peer().last("welcome").path("room").asText()).isEqualTo("My Room");
            assertThat(ana.peer().last("welcome").path("protocol").asInt()).isEqualTo(1);
        }
    }
}
