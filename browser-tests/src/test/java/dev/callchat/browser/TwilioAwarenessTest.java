package dev.callchat.browser;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Call awareness and the richer chat on the page's Twilio path, against the scripted SDK doubles (no
 * network): the page asks Twilio for dominant-speaker and network-quality events and shows them, uses
 * Conversations' typing, read horizon and media messages.
 */
class TwilioAwarenessTest extends TwilioBrowserTest {
    private Browser ana;

    @BeforeEach
    void joined() {
        ana = browser();
        ana.script("window.localStorage.removeItem('fakeTwilio.chat')");
        ana.join("ana", room);
        ana.waitUntil("the bot's tile", d -> ana.remoteTiles().contains("twilio-bot"));
    }

    @Test
    void connectsAskingForDominantSpeakerAndNetworkQuality() {
        assertThat(ana.script("return fakeTwilio.video.connects.at(-1).dominantSpeaker")).isEqualTo(true);
        assertThat(ana.script("return fakeTwilio.video.connects.at(-1).networkQuality"))
                .isEqualTo(Map.of("local", 1L, "remote", 1L));
    }

    @Test
    void theDominantSpeakersTileIsMarkedUntilSomeoneElseSpeaks() {
        ana.script("const room = fakeTwilio.video.rooms.at(-1);"
                + " room.emit('dominantSpeakerChanged', [...room.participants.values()][0]);");
        ana.waitUntil("the bot's tile to be marked", d -> speaking("twilio-bot"));

        ana.script("fakeTwilio.video.rooms.at(-1).emit('dominantSpeakerChanged', null)");

        ana.waitUntil("the mark to go", d -> !speaking("twilio-bot"));
    }

    @Test
    void networkQualityLevelsShowOnTheParticipantsTileWithALabel() {
        ana.script("const room = fakeTwilio.video.rooms.at(-1);"
                + " [...room.participants.values()][0].emit('networkQualityLevelChanged', 2);");

        String label = ana.waitUntil("the bot's quality indicator", d -> {
            var q = d.findElements(By.cssSelector("#grid .tile.camera[data-identity='twilio-bot'] .quality"));
            return q.isEmpty() ? null : q.get(0).getDomAttribute("aria-label");
        });
        assertThat(label).isEqualTo("Network quality: poor (2 of 5)");
    }

    @Test
    void typingUsesConversationsInBothDirections() {
        ana.openChat();
        ana.waitUntil("chat to be ready", d -> d.findElement(By.id("chat-input")).isEnabled()
                && Boolean.TRUE.equals(ana.script("return Boolean(window.callchat.provider.conversation)")));

        ana.driver().findElement(By.id("chat-input")).sendKeys("hi");
        ana.script("fakeTwilio.chat.clients.at(-1).conversations.values().next().value"
                + ".emit('typingStarted', {identity: 'twilio-bot'})");

        ana.waitUntil("the bot's typing indicator", d -> "twilio-bot is typing…".equals(
                d.findElement(By.id("typing")).getDomProperty("textContent")));
        assertThat((Long) ana.script("return fakeTwilio.chat.clients.at(-1).conversations.values().next().value.typingCalls"))
                .isGreaterThanOrEqualTo(1L);
        ana.script("fakeTwilio.chat.clients.at(-1).conversations.values().next().value"
                + ".emit('typingEnded', {identity: 'twilio-bot'})");
        ana.waitUntil("the indicator to clear", d -> d.findElement(By.id("typing")).getDomProperty("textContent").isEmpty());
    }

    @Test
    void readingTheChatAdvancesTheReadHorizonAndFilesGoAsMediaMessages() {
        ana.openChat();
        ana.waitForMessage("welcome from the fake conversation");
        ana.waitUntil("the read horizon to reach the newest message", d -> Long.valueOf(0).equals(ana.script(
                "return fakeTwilio.chat.clients.at(-1).conversations.values().next().value.lastReadMessageIndex")));

        ana.script("const dt = new DataTransfer();"
                + " dt.items.add(new File(['%PDF-1.4 fake'], 'agenda.pdf', {type: 'application/pdf'}));"
                + " const input = document.getElementById('chat-file'); input.files = dt.files;"
                + " input.dispatchEvent(new Event('change', {bubbles: true}));");

        ana.waitUntil("the media message", d -> !d.findElements(By.cssSelector("#messages .file")).isEmpty());
        Object media = ana.script("const m = fakeTwilio.chat.clients.at(-1).conversations.values().next().value"
                + ".messages.at(-1).attachedMedia[0]; return [m.filename, m.contentType];");
        assertThat(media).isEqualTo(List.of("agenda.pdf", "application/pdf"));
        assertThat(ana.driver().findElement(By.cssSelector("#messages .file .file-link")).getDomProperty("textContent"))
                .startsWith("Download agenda.pdf");
    }

    private boolean speaking(String identity) {
        return Boolean.TRUE.equals(ana.script("const t = [...document.querySelectorAll('#grid .tile.camera')]"
                + ".find(t => t.dataset.identity === arguments[0]); return Boolean(t && t.classList.contains('speaking'));",
                identity));
    }
}
