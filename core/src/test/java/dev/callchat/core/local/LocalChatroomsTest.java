package dev.callchat.core.local;

import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.local.HubFixture.Member;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class LocalChatroomsTest {
    private static final Duration TTL = Duration.ofHours(1);
    private final MutableClock clock = MutableClock.of(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    private final LocalChatrooms chatrooms = new LocalChatrooms(HubFixture.SERVICE_SID, new SecureRandom(), TTL, clock);

    @Test
    void roomKeepsItsSidEvenAfterEvict() {
        Chatroom first = chatrooms.findOrCreate("My Room");
        chatrooms.evict("My Room");

        assertThat(chatrooms.findOrCreate("My Room")).isEqualTo(first);
        assertThat(first.conversationSid()).matches("CH[0-9a-f]{32}");
        assertThat(first.chatServiceSid()).isEqualTo(HubFixture.SERVICE_SID);
    }

    @Test
    void enrollingTwiceIsFine() {
        Chatroom room = chatrooms.findOrCreate("My Room");

        chatrooms.enroll(room, "ana");
        assertThatCode(() -> chatrooms.enroll(room, "ana")).doesNotThrowAnyException();

        assertThat(chatrooms.isEnrolled(room, "ana")).isTrue();
        assertThat(chatrooms.isEnrolled(room, "bob")).isFalse();
    }

    @Test
    void roomsNobodyIsInAreForgottenOneTokenLifetimeAfterTheirLastLogin() {
        for (int i = 0; i < 20_000; i++) {
            chatrooms.enroll(chatrooms.findOrCreate("room " + i), "user " + i);
        }
        assertThat(chatrooms.size()).isEqualTo(20_000);

        clock.add(TTL.minusSeconds(1));
        assertThat(chatrooms.size()).as("a token of the first login may still be in use").isEqualTo(20_000);

        clock.add(Duration.ofSeconds(1));
        assertThat(chatrooms.size()).isZero();
    }

    @Test
    void sidIsStableWhileALoginMayStillUseIt() {
        Chatroom first = chatrooms.findOrCreate("My Room");
        clock.add(TTL.minusMinutes(1));
        assertThat(chatrooms.findOrCreate("My Room")).as("a login restarts the lifetime").isEqualTo(first);
        clock.add(TTL.minusMinutes(1));
        assertThat(chatrooms.findOrCreate("My Room")).isEqualTo(first);

        clock.add(TTL);
        assertThat(chatrooms.findOrCreate("My Room").conversationSid()).isNotEqualTo(first.conversationSid());
    }

    @Test
    void roomWithMembersIsKeptPastTheTtlAndForgottenOneTtlAfterItEmpties() {
        Chatroom first = chatrooms.findOrCreate("My Room");
        chatrooms.occupied("My Room");
        clock.add(TTL.multipliedBy(5));
        assertThat(chatrooms.size()).isOne();
        assertThat(chatrooms.findOrCreate("My Room")).isEqualTo(first);

        chatrooms.vacated("My Room");
        clock.add(TTL.minusSeconds(1));
        assertThat(chatrooms.size()).isOne();
        clock.add(Duration.ofSeconds(1));
        assertThat(chatrooms.size()).isZero();
    }

    @Test
    void hubReportsWhenItsRoomsFillAndEmpty() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), chatrooms, clock)) {
            chatrooms.findOrCreate("Busy");
            chatrooms.findOrCreate("Idle");
            Member ana = fixture.join("ana", "Busy");
            Member bob = fixture.join("bob", "Busy");

            clock.add(TTL.multipliedBy(2));
            assertThat(chatrooms.size()).as("only the room with members is left").isOne();

            ana.connection().onClose();
            clock.add(TTL.multipliedBy(2));
            assertThat(chatrooms.size()).as("bob is still there").isOne();

            bob.connection().onClose();
            clock.add(TTL.minusSeconds(1));
            assertThat(chatrooms.size()).isOne();
            clock.add(Duration.ofSeconds(1));
            assertThat(chatrooms.size()).isZero();
        }
    }
}
