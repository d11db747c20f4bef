package dev.callchat.twilio;

import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.testing.FakeTwilio.Fault;
import dev.callchat.testing.FakeTwilio.Route;
import dev.callchat.testing.FakeTwilio;
import dev.callchat.testing.FakeTwilioExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding, creating and re-creating a room's conversation: stampedes, races, deletions upstream. */
@ExtendWith(FakeTwilioExtension.class)
class TwilioChatroomLifecycleTest {
    private FakeTwilio fake;

    @BeforeEach
    void start(FakeTwilio fake) {
        this.fake = fake;
    }

    @Test
    void oneHundredConcurrentFirstLoginsToOneNewRoomCreateOneConversation() throws Exception {
        int users = 100;
        ExecutorService pool = Executors.newFixedThreadPool(users);
        try (CallSessionService calls = TwilioFixture.service(fake, Map.of("CALLCHAT_LOGIN_DEADLINE", "30s"))) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<CallSession>> logins = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                String user = "user-" + i;
                Callable<CallSession> login = () -> {
                    go.await();
                    return calls.login(LoginRequest.of(user, "Stampede Room"));
                };
                logins.add(pool.submit(login));
            }
            go.countDown();
            List<CallSession> sessions = new ArrayList<>();
            for (Future<CallSession> login : logins) {
                sessions.add(login.get(60, TimeUnit.SECONDS));
            }

            Set<String> sids = sessions.stream().map(CallSession::conversationSid).collect(Collectors.toSet());
            System.out.printf("stampede: %d logins -> fetch=%d create=%d participant=%d list=%d%n", users,
                    fake.calls(Route.FETCH_CONVERSATION), fake.calls(Route.CREATE_CONVERSATION),
                    fake.calls(Route.CREATE_PARTICIPANT), fake.calls(Route.LIST_CONVERSATIONS));
            assertThat(sessions).allMatch(CallSession::chat);
            assertThat(sids).containsExactly(fake.conversationSid("Stampede Room").orElseThrow());
            assertThat(fake.calls(Route.CREATE_CONVERSATION)).isEqualTo(1);
            assertThat(fake.calls(Route.FETCH_CONVERSATION)).isEqualTo(1);
            assertThat(fake.calls(Route.LIST_CONVERSATIONS)).isZero();
            // Beyond Twilio's 30 participant adds per second the enrollments are queued: wait for them.
            String sid = sids.iterator().next();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (fake.participants(sid).size() < users && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(fake.participants(sid)).hasSize(users);
            assertThat(fake.calls(Route.CREATE_PARTICIPANT) - fake.throttled(Route.CREATE_PARTICIPANT)).isEqualTo(users);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void losingTheCreationRaceUsesTheWinnersConversation() {
        fake.failNext(Route.CREATE_CONVERSATION, 1, Fault.uniqueNameRace());
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            CallSession session = calls.login(LoginRequest.of("ana", "Raced Room"));

            assertThat(session.chat()).isTrue();
            assertThat(session.conversationSid()).isEqualTo(fake.conversationSid("Raced Room").orElseThrow());
            assertThat(fake.calls(Route.FETCH_CONVERSATION)).isEqualTo(2);
            assertThat(fake.calls(Route.CREATE_CONVERSATION)).isEqualTo(1);
            assertThat(fake.conversationCount()).isEqualTo(1);
        }
    }

    @Test
    void conversationDeletedUpstreamAfterCachingIsRecreatedOnce() {
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            String oldSid = calls.login(LoginRequest.of("ana", "Fragile Room")).conversationSid();
            fake.deleteConversation("Fragile Room");
            fake.resetCounters();

            CallSession session = calls.login(LoginRequest.of("ben", "Fragile Room"));

            String newSid = fake.conversationSid("Fragile Room").orElseThrow();
            assertThat(newSid).isNotEqualTo(oldSid);
            assertThat(session.conversationSid()).isEqualTo(newSid);
            assertThat(session.chat()).isTrue();
            // participant 404, fetch 404, create, participant
            assertThat(fake.calls(Route.CREATE_PARTICIPANT)).isEqualTo(2);
            assertThat(fake.calls(Route.CREATE_CONVERSATION)).isEqualTo(1);
            assertThat(fake.participants(newSid)).containsExactly("ben");
        }
    }

    @Test
    void aRecreatedConversationEnrollsEvenUsersRememberedFromTheOldOne() {
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            calls.login(LoginRequest.of("ana", "Fragile Room"));
            fake.deleteConversation("Fragile Room");
            calls.login(LoginRequest.of("ben", "Fragile Room"));

            CallSession again = calls.login(LoginRequest.of("ana", "Fragile Room"));

            assertThat(fake.participants(again.conversationSid())).containsExactlyInAnyOrder("ana", "ben");
        }
    }

    @Test
    void roomNamesWithReservedUrlCharactersFindTheirOwnConversation() {
        String room = "a/b?c#d %e+f&g=ü";
        try (CallSessionService first = TwilioFixture.service(fake)) {
            first.login(LoginRequest.of("ana", room));
        }
        fake.resetCounters();
        try (CallSessionService fresh = TwilioFixture.service(fake)) {
            CallSession session = fresh.login(LoginRequest.of("ben", room));

            assertThat(session.conversationSid()).isEqualTo(fake.conversationSid(room).orElseThrow());
            assertThat(fake.calls(Route.CREATE_CONVERSATION)).isZero();
            assertThat(fake.calls(Route.FETCH_CONVERSATION)).isEqualTo(1);
        }
    }

    @Test
    void aConfiguredConversationsServiceIsUsedForLookupsCreationAndTheChatGrant() {
        String service = "IS" + "abcdefabcdefabcdefabcdefabcdef12";
        try (CallSessionService calls = TwilioFixture.service(fake,
                Map.of("TWILIO_CONVERSATIONS_SERVICE_SID", service))) {
            CallSession session = calls.login(LoginRequest.of("ana", "Scoped Room"));

            assertThat(session.conversationSid()).isEqualTo(fake.conversationSid(service, "Scoped Room").orElseThrow());
            assertThat(fake.conversationSid("Scoped Room")).isEmpty();
            assertThat(fake.participants(session.conversationSid())).containsExactly("ana");
            assertThat(TokenClaims.verify(session.token()).chatServiceSid()).isEqualTo(service);
        }
    }

    @Test
    void withoutAConfiguredServiceTheChatGrantNamesTheConversationsService() {
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            CallSession session = calls.login(LoginRequest.of("ana", "Default Room"));

            assertThat(TokenClaims.verify(session.token()).chatServiceSid()).isEqualTo(FakeTwilio.DEFAULT_SERVICE_SID);
        }
    }
}
