package dev.callchat.twilio;

import com.twilio.security.RequestValidator;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.spi.ProviderCallbacks;
import dev.callchat.testing.FakeTwilio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The Twilio side of room events, below HTTP: signatures, duplicates, and what a login costs with events on. */
class TwilioCallbacksTest {
    private static final String PUBLIC = "https://calls.example.test";
    private static final String URL = PUBLIC + "/twilio/events";

    private final FakeTwilio twilio = FakeTwilio.start();
    private final CallSessionService service = CallSessionService.create(twilio.config(Map.of("CALLCHAT_LOGIN_RATE", "off",
            "TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN, "CALLCHAT_PUBLIC_URL", PUBLIC)));

    @AfterEach
    void close() {
        service.close();
        twilio.close();
    }

    @Test
    void theFakeSignsTheWayTwilioJavaVerifies() {
        Map<String, String> params = Map.of("RoomName", "Standup", "StatusCallbackEvent", "room-created", "Body", "a=b&c ü");
        String signature = FakeTwilio.signature(FakeTwilio.AUTH_TOKEN, URL, params);

        assertThat(new RequestValidator(FakeTwilio.AUTH_TOKEN).validate(URL, params, signature)).isTrue();
        assertThat(new RequestValidator(FakeTwilio.AUTH_TOKEN).validate(URL + "x", params, signature)).isFalse();
        assertThat(new RequestValidator("other").validate(URL, params, signature)).isFalse();
    }

    @Test
    void aSignedCallbackIsActedOnOnceWhateverItsToken() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("RoomName", "Standup");
        params.put("RoomSid", "RM" + "a".repeat(32));
        params.put("SequenceNumber", "3");
        params.put("StatusCallbackEvent", "participant-connected");
        params.put("ParticipantIdentity", "ana");
        String signature = FakeTwilio.signature(FakeTwilio.AUTH_TOKEN, URL, params);

        assertThat(receive(params, signature, "t1")).isEqualTo(ProviderCallbacks.Verdict.ACCEPTED);
        assertThat(receive(params, signature, "t1")).isEqualTo(ProviderCallbacks.Verdict.DUPLICATE);
        assertThat(receive(params, signature, "t2")).as("same room and sequence").isEqualTo(ProviderCallbacks.Verdict.DUPLICATE);
        assertThat(receive(params, signature, null)).isEqualTo(ProviderCallbacks.Verdict.DUPLICATE);
        assertThat(receive(params, null, "t3")).isEqualTo(ProviderCallbacks.Verdict.UNSIGNED);
        assertThat(receive(params, "x" + signature, "t4")).isEqualTo(ProviderCallbacks.Verdict.BAD_SIGNATURE);
    }

    @Test
    void withEventsOnTheFirstLoginCreatesTheVideoRoomAndTheWebhookOnceAndAKnownRoomCostsNothingMore() {
        service.login(LoginRequest.of("ana", "Standup"));
        twilio.resetCounters();

        service.login(LoginRequest.of("bob", "Standup"));

        assertThat(twilio.calls(FakeTwilio.Route.CREATE_ROOM)).isZero();
        assertThat(twilio.calls(FakeTwilio.Route.CREATE_CONVERSATION_WEBHOOK)).isZero();
        assertThat(twilio.calls(FakeTwilio.Route.CREATE_PARTICIPANT)).isEqualTo(1);
        assertThat(twilio.videoStatusCallback("Standup")).hasValue(URL);
    }

    @Test
    void aRoomAlreadyInProgressIsFine() {
        twilio.connectVideo("Ad hoc", "carol");   // created ad hoc by a browser, without a status callback

        assertThat(service.login(LoginRequest.of("ana", "Ad hoc")).chat()).isTrue();
        assertThat(twilio.calls(FakeTwilio.Route.CREATE_ROOM)).isEqualTo(1);
        assertThat(twilio.videoStatusCallback("Ad hoc")).isEmpty();
    }

    @Test
    void withoutThePublicUrlAndTheAuthTokenTwilioModeServesNoCallbackRoute() throws Exception {
        try (CallSessionService plain = CallSessionService.create(twilio.config(Map.of("TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN)))) {
            dev.callchat.core.http.HttpReply reply = new dev.callchat.core.http.CallChatHttp(plain).handle(
                    new dev.callchat.core.http.HttpCall() {
                        @Override
                        public String method() {
                            return "POST";
                        }

                        @Override
                        public String rawPath() {
                            return "/twilio/events";
                        }

                        @Override
                        public Optional<String> header(String name) {
                            return name.equalsIgnoreCase("Content-Type")
                                    ? Optional.of("application/x-www-form-urlencoded") : Optional.empty();
                        }

                        @Override
                        public String remoteAddress() {
                            return "127.0.0.1";
                        }

                        @Override
                        public byte[] body() {
                            return "RoomName=x".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        }
                    });

            assertThat(reply.status()).isEqualTo(404);
            assertThat(plain.providerCallbacks()).isSameAs(ProviderCallbacks.NONE);
            plain.login(LoginRequest.of("ana", "Plain"));
            assertThat(twilio.calls(FakeTwilio.Route.CREATE_ROOM)).isZero();
            assertThat(twilio.calls(FakeTwilio.Route.CREATE_CONVERSATION_WEBHOOK)).isZero();
        }
    }

    @Test
    void aParticipantRemovedElsewhereIsEnrolledAgainOnTheirNextLogin() {
        String sid = service.login(LoginRequest.of("bob", "Standup")).conversationSid();
        // Someone took bob out of the chat outside callchat (the Twilio console, another instance): Twilio tells us.
        twilio.removeParticipant(sid, "bob");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("EventType", "onParticipantRemoved");
        params.put("ConversationSid", sid);
        params.put("Identity", "bob");
        assertThat(receive(params, FakeTwilio.signature(FakeTwilio.AUTH_TOKEN, URL, params), "removed-1"))
                .isEqualTo(ProviderCallbacks.Verdict.ACCEPTED);

        service.login(LoginRequest.of("bob", "Standup"));

        assertThat(twilio.participants(sid)).contains("bob");
    }

    private ProviderCallbacks.Verdict receive(Map<String, String> params, String signature, String token) {
        return service.providerCallbacks().receive(new ProviderCallbacks.Callback(URL, params, name -> switch (name) {
            case "X-Twilio-Signature" -> Optional.ofNullable(signature);
            case "I-Twilio-Idempotency-Token" -> Optional.ofNullable(token);
            default -> Optional.empty();
        }));
    }
}
