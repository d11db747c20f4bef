package dev.callchat.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callchat.core.local.HubFixture.Member;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameRulesTest {
    @Test
    void chatOverTheLimitIsRejectedAndNotBroadcast() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");

            ana.say("x".repeat(4097));

            assertThat(ana.peer().errorCodes()).containsExactly("text_too_long");
            assertThat(bob.peer().frames("chat")).isEmpty();
        }
    }

    @Test
    void chatAtTheLimitCountedInCodePointsIsAccepted() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            String fullOfEmoji = "\uD83D\uDE00".repeat(4096);

            ana.say(fullOfEmoji);

            assertThat(ana.peer().last("chat").path("text").asText()).isEqualTo(fullOfEmoji);
            assertThat(ana.peer().errorCodes()).isEmpty();
        }
    }

    @Test
    void longestChatInTheWidestJsonEscapingFitsTheDefaultFrameLimit() {
        try (HubFixture fixture = new HubFixture(HubLimits.defaults())) {
            Member ana = fixture.join("ana", "Room");
            String fullOfEmoji = "\uD83D\uDE00".repeat(HubLimits.defaults().maxChatChars());
            StringBuilder escaped = new StringBuilder();
            fullOfEmoji.chars().forEach(unit -> escaped.append(String.format("\\u%04x", unit)));
            String pythonStyle = "{\"type\": \"chat\", \"text\": \"" + escaped + "\"}"; // json.dumps' defaults
            assertThat(pythonStyle.length()).isGreaterThan(32 * 1024);

            ana.send(pythonStyle);

            assertThat(ana.peer().closeCode()).isZero();
            assertThat(ana.peer().last("chat").path("text").asText()).isEqualTo(fullOfEmoji);
        }
    }

    @Test
    void frameLimitIsComputedFromTheChatLimit() {
        HubLimits d = HubLimits.defaults();

        assertThat(d.maxFrameChars()).isGreaterThanOrEqualTo(HubLimits.frameCharsFor(d.maxChatChars()))
                .isGreaterThanOrEqualTo(HubLimits.SIGNAL_FRAME_CHARS);
        assertThat(HubLimits.frameCharsFor(4096)).isEqualTo(4096 * 12 + HubLimits.FRAME_ENVELOPE_CHARS);
        assertThatThrownBy(() -> HubLimits.custom().maxChatChars(100).maxFrameChars(HubLimits.frameCharsFor(100) - 1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFrameChars");
    }

    @Test
    void blankChatIsRejected() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");

            ana.say("  ");

            assertThat(ana.peer().errorCodes()).containsExactly("empty_text");
            assertThat(ana.peer().frames("chat")).isEmpty();
        }
    }

    @Test
    void chatOfOnlyInvisibleCharactersIsRejected() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");

            for (String invisible : List.of("\u200B", "\u00A0", "\uFEFF\u2060", "\u3164", "\u2800", "\u00AD", "\u200E\u061C",
                    "\u0301", "\u200B \u00A0\u3000")) {
                ana.say(invisible);
            }

            assertThat(ana.peer().errorCodes()).hasSize(9).containsOnly("empty_text");
            assertThat(bob.peer().frames("chat")).isEmpty();
            ana.say("e\u0301\u200B");
            assertThat(bob.peer().last("chat").path("text").asText()).as("text is relayed as sent").isEqualTo("e\u0301\u200B");
        }
    }

    @Test
    void unknownTypeIsAnErrorAndTheConnectionStaysUsable() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");

            ana.send("{\"type\":\"dance\"}");
            ana.send("{\"type\":\"ping\"}");

            assertThat(ana.peer().errorCodes()).containsExactly("unknown_type");
            assertThat(ana.peer().frames("pong")).hasSize(1);
            assertThat(ana.peer().closeCode()).isZero();
        }
    }

    @Test
    void malformedJsonIsAnErrorAndTheConnectionStaysUsable() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");

            ana.send("{\"type\":");
            ana.send("[1,2]");
            ana.send("{\"type\":42}");
            ana.say("still here");

            assertThat(ana.peer().errorCodes()).containsExactly("bad_frame", "bad_frame", "bad_frame");
            assertThat(ana.peer().last("chat").path("text").asText()).isEqualTo("still here");
        }
    }

    @Test
    void oversizeFrameCloses1009() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");

            ana.send(HubFixture.chat("x".repeat(ana.connection().maxFrameChars())));

            assertThat(ana.peer().closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void floodIsRateLimitedThenClosed4429() {
        // Default limits and a clock that stands still: the bucket never refills, so the counts are exact.
        try (HubFixture fixture = new HubFixture(HubLimits.defaults())) {
            Member ana = fixture.join("ana", "Room");
            HubLimits limits = HubLimits.defaults();
            int allowedAfterAuth = limits.messageBurst() - 1;

            for (int i = 0; i < allowedAfterAuth + limits.floodStrikes(); i++) {
                ana.send("{\"type\":\"ping\"}");
            }
            assertThat(ana.peer().frames("pong")).hasSize(allowedAfterAuth);
            assertThat(ana.peer().errorCodes()).hasSize(limits.floodStrikes()).containsOnly("rate_limited");
            assertThat(ana.peer().closeCode()).isZero();

            ana.send("{\"type\":\"ping\"}");

            assertThat(ana.peer().closeCode()).isEqualTo(4429);
        }
    }

    @Test
    void rateRefillsWithTheClock() {
        try (HubFixture fixture = new HubFixture(HubLimits.defaults())) {
            Member ana = fixture.join("ana", "Room");
            for (int i = 0; i < 50; i++) {
                ana.send("{\"type\":\"ping\"}");
            }
            assertThat(ana.peer().errorCodes()).contains("rate_limited");

            fixture.clock.add(java.time.Duration.ofSeconds(10));
            ana.send("{\"type\":\"ping\"}");

            List<JsonNode> frames = ana.peer().frames();
            assertThat(frames.get(frames.size() - 1).path("type").asText()).isEqualTo("pong");
        }
    }
}
