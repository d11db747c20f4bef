package dev.callchat.core.local;

import dev.callchat.core.spi.Chatroom;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class LocalChatroomsTest {
    private final LocalChatrooms chatrooms = new LocalChatrooms(HubFixture.SERVICE_SID, new SecureRandom());

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
        LocalRoster roster = new LocalRoster();
        Chatroom room = chatrooms.findOrCreate("My Room");

        roster.enroll(room, "ana");
        assertThatCode(() -> roster.enroll(room, "ana")).doesNotThrowAnyException();

        assertThat(roster.isEnrolled(room, "ana")).isTrue();
        assertThat(roster.isEnrolled(room, "bob")).isFalse();
    }
}
