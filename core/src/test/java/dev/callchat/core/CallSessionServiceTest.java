package dev.callchat.core;

import dev.callchat.core.config.Config;
import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.ChatroomDirectory;
import dev.callchat.core.spi.ChatroomGoneException;
import dev.callchat.core.spi.Deadline;
import dev.callchat.core.spi.ParticipantRoster;
import dev.callchat.core.spi.Provider;
import dev.callchat.core.spi.TokenIssuer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The service's own decisions, against a scripted in-memory provider. */
class CallSessionServiceTest {
    private static final String SID_1 = "CH" + "1".repeat(32);
    private static final String SID_2 = "CH" + "2".repeat(32);
    private static final String SERVICE = "IS" + "3".repeat(32);

    /** A provider whose chatroom changes SID on every eviction and whose roster fails as told. */
    private static final class Scripted implements ChatroomDirectory, ParticipantRoster, TokenIssuer {
        final AtomicInteger evictions = new AtomicInteger();
        final List<Deadline> deadlines = new ArrayList<>();
        int goneAnswersLeft;
        RuntimeException directoryFailure;

        @Override
        public Chatroom findOrCreate(String roomName) {
            throw new AssertionError("the service must pass its deadline");
        }

        @Override
        public Chatroom findOrCreate(String roomName, Deadline deadline) {
            deadlines.add(deadline);
            if (directoryFailure != null) {
                throw directoryFailure;
            }
            return new Chatroom(roomName, evictions.get() == 0 ? SID_1 : SID_2, SERVICE);
        }

        @Override
        public void evict(String roomName) {
            evictions.incrementAndGet();
        }

        @Override
        public void enroll(Chatroom chatroom, String identity) {
            throw new AssertionError("the service must pass its deadline");
        }

        @Override
        public void enroll(Chatroom chatroom, String identity, Deadline deadline) {
            deadlines.add(deadline);
            if (goneAnswersLeft-- > 0) {
                throw new ChatroomGoneException(chatroom);
            }
        }

        @Override
        public IssuedToken issue(String identity, String videoRoom, Chatroom chatroom) {
            return new IssuedToken("token-for-" + identity + (chatroom == null ? "" : "+chat"), Instant.EPOCH);
        }

        CallSessionService service(Map<String, String> env) {
            return CallSessionService.builder(Config.from(env))
                    .provider(new Provider("scripted", this, this, this, Optional.empty(), () -> { }))
                    .build();
        }
    }

    @Test
    void aLoginWithoutARoomJoinsTheConfiguredDefaultRoom() {
        Scripted provider = new Scripted();

        CallSession session = provider.service(Map.of("CALLCHAT_ROOM", "Lobby")).login(LoginRequest.of("ana", null));

        assertThat(session.room()).isEqualTo("Lobby");
        assertThat(session.chat()).isTrue();
        assertThat(session.provider()).isEqualTo("scripted");
    }

    @Test
    void aChatroomGoneUpstreamIsEvictedAndRetriedOnce() {
        Scripted provider = new Scripted();
        provider.goneAnswersLeft = 1;

        CallSession session = provider.service(Map.of()).login(LoginRequest.of("ana", "Room"));

        assertThat(provider.evictions).hasValue(1);
        assertThat(session.conversationSid()).isEqualTo(SID_2);
    }

    @Test
    void aChatroomGoneTwiceDegradesToVideoOnly() {
        Scripted provider = new Scripted();
        provider.goneAnswersLeft = 2;

        CallSession session = provider.service(Map.of()).login(LoginRequest.of("ana", "Room"));

        assertThat(session.chat()).isFalse();
        assertThat(session.conversationSid()).isNull();
        assertThat(session.token()).isEqualTo("token-for-ana");
    }

    @Test
    void allStepsOfOneLoginShareOneDeadline() {
        Scripted provider = new Scripted();
        provider.goneAnswersLeft = 1;

        provider.service(Map.of("CALLCHAT_LOGIN_DEADLINE", "7s")).login(LoginRequest.of("ana", "Room"));

        assertThat(provider.deadlines).hasSize(4);
        assertThat(provider.deadlines).allMatch(d -> d == provider.deadlines.get(0));
        assertThat(provider.deadlines.get(0).budget()).hasSeconds(7);
    }

    @Test
    void unavailableChatIsA503WhenChatIsRequired() {
        Scripted provider = new Scripted();
        provider.directoryFailure = new CallChatException(ErrorKind.SERVICE_UNAVAILABLE, "down");

        CallChatException e = catchThrowableOfType(CallChatException.class, () -> provider
                .service(Map.of("CALLCHAT_CHAT_REQUIRED", "true")).login(LoginRequest.of("ana", "Room")));

        assertThat(e.kind()).isEqualTo(ErrorKind.SERVICE_UNAVAILABLE);
    }

    @Test
    void rejectedCredentialsAreNeverDegradedToVideoOnly() {
        Scripted provider = new Scripted();
        provider.directoryFailure = new CallChatException(ErrorKind.UPSTREAM_REJECTED, "bad key");

        CallChatException e = catchThrowableOfType(CallChatException.class,
                () -> provider.service(Map.of()).login(LoginRequest.of("ana", "Room")));

        assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_REJECTED);
    }

    @Test
    void anInvalidUsernameNeverReachesTheProvider() {
        Scripted provider = new Scripted();

        CallChatException e = catchThrowableOfType(CallChatException.class,
                () -> provider.service(Map.of()).login(LoginRequest.of("a\u202Eb", "Room")));

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(provider.deadlines).isEmpty();
    }

    @Test
    void aProviderThatIsNotOnTheClasspathIsNamedWithTheArtifactToAdd() {
        // Core ships only the local provider; Twilio credentials select callchat-twilio, absent here.
        Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", "AC" + "0".repeat(32),
                "TWILIO_API_KEY_SID", "SK" + "0".repeat(32), "TWILIO_API_KEY_SECRET", "secret");

        assertThatThrownBy(() -> CallSessionService.create(Config.from(env)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'twilio' provider").hasMessageContaining("dev.callchat:callchat-twilio");
    }

    @Test
    void theLocalProviderIsFoundThroughTheServiceLoader() {
        try (CallSessionService service = CallSessionService.create(Config.defaults())) {
            assertThat(service.providerName()).isEqualTo("local");
            assertThat(service.localHub()).isPresent();
        }
    }
}
