package dev.callchat.browser;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's full-call view, device switching, speaker view and reconnect states on the Twilio path,
 * against the SDK doubles (whose Group room holds at most 50 participants, as Twilio's does).
 */
class TwilioPageTest extends TwilioBrowserTest {
    @Override
    protected List<String> browserSwitches() {
        return List.of(Chromium.TWO_CAMERAS);
    }

    @Test
    void aFullRoomSaysTheCallIsFullKeepsTheChatAndTriesAgainOnlyWhenAsked() {
        Browser ana = browser();
        ana.script("localStorage.setItem('fakeTwilio.occupants', '50')");
        try {
            ana.join("ana", room);

            ana.waitUntil("the full-call notice", d -> d.findElement(By.id("full")).isDisplayed());
            assertThat(ana.driver().findElement(By.id("full-title")).getText()).isEqualTo("This call is full");
            assertThat(ana.driver().findElement(By.id("full-text")).getText()).contains("at most 50 people");
            assertThat(ana.driver().findElement(By.id("mic")).isEnabled()).isFalse();
            assertThat(ana.driver().findElement(By.id("camera")).isEnabled()).isFalse();
            assertThat(ana.script("return callchat.tracks.length")).isEqualTo(0L);
            ana.sendChat("chat works in a full call");
            ana.waitForMessage("welcome from the fake conversation");
            assertThat(ana.waitForMessage("chat works in a full call").own()).isTrue();
            assertThat(ana.script("return fakeTwilio.video.connects.length")).as("no retry on its own").isEqualTo(1L);

            ana.driver().findElement(By.id("take-video")).click();
            ana.waitUntil("the answer", d -> d.findElement(By.id("full-text")).getText().contains("still full"));
            assertThat(ana.script("return fakeTwilio.video.connects.length")).isEqualTo(2L);

            ana.script("fakeTwilio.video.occupants = 49");
            ana.driver().findElement(By.id("take-video")).click();

            ana.waitUntil("the video view", d -> d.findElement(By.id("grid")).isDisplayed() && !d.findElement(By.id("full")).isDisplayed());
            ana.waitForPlayingVideo("twilio-bot");
            assertThat(ana.script("return fakeTwilio.video.connects.length")).isEqualTo(3L);
            assertThat(ana.script("return fakeTwilio.video.connects.at(-1).tracks")).isEqualTo(2L);
        } finally {
            ana.script("localStorage.removeItem('fakeTwilio.occupants')");
        }
    }

    @Test
    void switchingTheCameraUnpublishesTheOldTrackAndPublishesTheNewOne() {
        Browser ana = browser();
        ana.join("ana", room);
        ana.waitForPlayingVideo("twilio-bot");
        String old = (String) ana.script("return callchat.tracks.find(t => t.kind === 'video').id");
        String oldLabel = (String) ana.script("return callchat.tracks.find(t => t.kind === 'video').label");

        ana.driver().findElement(By.id("device-toggle")).click();
        Select cameras = new Select(ana.driver().findElement(By.id("camera-select")));
        cameras.selectByVisibleText(cameras.getOptions().stream().map(o -> o.getDomProperty("textContent")).filter(t -> !t.equals(oldLabel)).findFirst().orElseThrow());

        String now = ana.waitUntil("the new camera", d -> {
            String id = (String) ana.script("return callchat.tracks.find(t => t.kind === 'video').id");
            return id.equals(old) ? null : id;
        });
        ana.waitUntil("the publication swap", d -> Boolean.TRUE.equals(ana.script(
                "return fakeTwilio.video.unpublished.includes(arguments[0]) && fakeTwilio.video.published.includes(arguments[1])", old, now)));
        assertThat(ana.script("return [...callchat.provider.room.localParticipant.videoTracks.values()].map(p => p.track.mediaStreamTrack.id)"))
                .isEqualTo(List.of(now));
        ana.script("localStorage.removeItem('callchat.devices')");
    }

    @Test
    void speakerViewEnlargesTheDominantSpeakerUnlessATileIsPinned() {
        Browser ana = browser();
        ana.join("ana", room);
        ana.waitUntil("the bot's tile", d -> ana.remoteTiles().contains("twilio-bot"));
        ana.script("fakeTwilio.video.rooms.at(-1).addParticipant('carol')");
        ana.waitUntil("carol's tile", d -> ana.remoteTiles().contains("carol"));

        ana.driver().findElement(By.id("layout")).click();
        ana.script("const room = fakeTwilio.video.rooms.at(-1);"
                + " room.emit('dominantSpeakerChanged', [...room.participants.values()].find(p => p.identity === 'carol'));");

        ana.waitUntil("carol large", d -> "carol".equals(featured(ana)));
        ana.driver().findElement(By.cssSelector("#grid .tile.camera[data-identity='twilio-bot']")).click();
        assertThat(featured(ana)).isEqualTo("twilio-bot");
        ana.script("const room = fakeTwilio.video.rooms.at(-1);"
                + " room.emit('dominantSpeakerChanged', [...room.participants.values()].find(p => p.identity === 'carol'));");
        assertThat(featured(ana)).as("the pin wins").isEqualTo("twilio-bot");
    }

    @Test
    void reconnectingStatesOfTheRoomAndTheChatShowAndClear() {
        Browser ana = browser();
        ana.join("ana", room);
        ana.waitUntil("chat to connect", d -> Boolean.TRUE.equals(ana.script("return Boolean(callchat.provider.conversation)")));

        ana.script("fakeTwilio.video.rooms.at(-1).emit('reconnecting'); fakeTwilio.chat.clients.at(-1).emit('connectionStateChanged', 'connecting')");

        ana.waitUntil("the reconnecting note", d -> d.findElement(By.id("video-note")).isDisplayed());
        assertThat(ana.driver().findElement(By.id("video-note")).getText()).isEqualTo("Reconnecting the call…");
        assertThat(ana.script("return document.getElementById('chat-state').textContent")).isEqualTo("reconnecting…");

        ana.script("fakeTwilio.video.rooms.at(-1).emit('reconnected'); fakeTwilio.chat.clients.at(-1).emit('connectionStateChanged', 'connected')");

        ana.waitUntil("the note to go", d -> !d.findElement(By.id("video-note")).isDisplayed());
        assertThat(ana.script("return document.getElementById('chat-state').textContent")).isEqualTo("");
        assertThat(ana.script("return fakeTwilio.video.disconnects")).isEqualTo(0L);
    }

    private static String featured(Browser browser) {
        return (String) browser.script("const t = document.querySelector('#grid .tile.featured');"
                + " return !t ? 'none' : (t.classList.contains('local') ? 'local' : t.dataset.identity);");
    }
}
