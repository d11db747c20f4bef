package dev.callchat.browser;

import dev.callchat.core.config.Config;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two browsers on the local provider through the Undertow server: the shared contract, plus the page's
 * own behaviour (history, unread badge, mute, screen share, hostile text, replaced sessions), which does
 * not depend on the server and so runs once, here.
 */
class LocalCallOnUndertowTest extends LocalCallContract {
    @Override
    protected CallServer start(Config config) {
        return Servers.undertow(config);
    }

    @Test
    void historyIsShownToWhoeverJoinsLater() {
        Browser ana = browser();
        ana.join("ana", room);
        ana.sendChat("said before ben came");

        Browser ben = browser();
        ben.join("ben", room);
        ben.openChat();

        assertThat(ben.waitForMessage("said before ben came").author()).isEqualTo("ana");
    }

    @Test
    void messagesArrivingWhileTheChatIsClosedShowAnUnreadBadge() {
        Browser ana = browser();
        Browser ben = browser();
        ana.join("ana", room);
        ben.join("ben", room);

        ana.sendChat("one");
        ana.sendChat("two");

        ben.waitUntil("an unread count of 2", d -> "2".equals(ben.script("return document.getElementById('unread').textContent")));
        assertThat(ben.script("return document.getElementById('chat-toggle').getAttribute('aria-label')")).isEqualTo("Chat, 2 unread");
        ben.openChat();
        assertThat(ben.script("return document.getElementById('unread').hidden")).isEqualTo(true);
    }

    @Test
    void mutingAndCameraOffShowOnTheOtherSide() {
        Browser ana = browser();
        Browser ben = browser();
        ana.join("ana", room);
        ben.join("ben", room);
        ben.waitForPlayingVideo("ana");

        ana.driver().findElement(By.id("mic")).click();
        ana.driver().findElement(By.id("camera")).click();

        ben.waitUntil("ana's tile to show muted and camera off", d -> Boolean.TRUE.equals(ben.script(
                "const t = [...document.querySelectorAll('#grid .tile.camera')].find(t => t.dataset.identity === 'ana');"
                        + " return !!t && t.classList.contains('mic-off') && t.classList.contains('camera-off');")));
        assertThat(ana.script("return callchat.tracks.every(t => !t.enabled)")).isEqualTo(true);
    }

    @Test
    void aScreenShareShowsAsItsOwnTileOnTheOtherSideUntilItStops() {
        Browser ana = browser();
        Browser ben = browser();
        ana.join("ana", room);
        ben.join("ben", room);
        ben.waitForPlayingVideo("ana");

        ana.driver().findElement(By.id("share")).click();

        ben.waitUntil("ana's screen tile", d -> Boolean.TRUE.equals(ben.script(
                "const t = [...document.querySelectorAll('#grid .tile.screen')].find(t => t.dataset.identity === 'ana');"
                        + " const v = t && t.querySelector('video'); return !!v && v.videoWidth > 0;")));
        ana.driver().findElement(By.id("share")).click();
        ben.waitUntil("ana's screen tile to go", d -> Boolean.TRUE.equals(ben.script(
                "return document.querySelectorAll('#grid .tile.screen').length === 0")));
        assertThat(ben.remoteTiles()).contains("ana");
    }

    @Test
    void hostileChatTextIsShownLiterallyAndRunsNothing() {
        String hostileName = "<img src=x onerror=window.__pwned=1>";
        List<String> hostile = List.of(
                "<img src=x onerror=\"window.__pwned=2\">",
                "<script>window.__pwned=3</script>",
                "<a href=\"javascript:window.__pwned=4\">click</a>",
                "javascript:window.__pwned=5");
        Browser mallory = browser();
        Browser ben = browser();
        mallory.join(hostileName, room);
        ben.join("ben", room);
        ben.openChat();

        hostile.forEach(mallory::sendChat);

        for (String text : hostile) {
            assertThat(ben.waitForMessage(text).author()).isEqualTo(hostileName);
        }
        for (Browser b : List.of(mallory, ben)) {
            assertThat(b.script("return window.__pwned === undefined")).isEqualTo(true);
            assertThat(b.script("return document.querySelectorAll('#messages img, #messages script, #messages a,"
                    + " #grid img, #grid script').length")).isEqualTo(0L);
        }
        assertThat(ben.remoteTiles()).contains(hostileName);
    }

    @Test
    void joiningAgainElsewhereWithTheSameNameEndsTheFirstSessionWithAReason() {
        Browser first = browser();
        Browser second = browser();
        first.join("ana", room);

        second.join("ana", room);

        first.waitUntil("the first window to leave", d -> d.findElement(By.id("join-form")).isDisplayed());
        assertThat(first.notice()).contains("another window or tab");
        assertThat(second.notice()).isEmpty();
    }

    @Test
    void aRefusedLoginShowsTheServersExplanation() {
        Browser ana = browser();

        ana.driver().findElement(By.id("username")).sendKeys("ana\u202Eevil");
        ana.driver().findElement(By.id("join")).click();

        ana.waitUntil("the server's reason", d -> ana.notice().contains("bidirectional control character"));
        assertThat(ana.driver().findElement(By.id("join-form")).isDisplayed()).isTrue();
    }

    @Test
    void withoutCameraOrMicrophoneTheUserIsToldAndStillJoins() {
        try (Browser noDevices = chromium.open(Chromium.DESKTOP, false)) {
            noDevices.open(server.baseUrl());

            noDevices.join("ana", room);

            assertThat(noDevices.notice()).isEqualTo("No camera or microphone was found, so you joined without camera and microphone.");
            assertThat(noDevices.driver().findElement(By.id("mic")).isEnabled()).isFalse();
            assertThat(noDevices.driver().findElement(By.id("camera")).isEnabled()).isFalse();
        }
    }

    @Test
    void olderMessagesLoadOnRequest() {
        Browser ana = browser();
        ana.join("ana", room);
        // 60 messages, paced under the hub's rate limit; the hub sends the newest 50 on join.
        ana.asyncScript("const done = arguments[arguments.length - 1]; (async () => {"
                + " for (let i = 1; i <= 60; i++) { await callchat.provider.sendChat('message ' + i);"
                + " await new Promise(r => setTimeout(r, 60)); } })().then(() => done(true));");
        ana.waitForMessage("message 60");

        Browser ben = browser();
        ben.join("ben", room);
        ben.openChat();
        ben.waitForMessage("message 60");
        assertThat(ben.messages()).hasSize(50);
        assertThat(ben.messages().get(0).text()).isEqualTo("message 11");

        ben.driver().findElement(By.id("older")).click();

        ben.waitUntil("the older page", d -> ben.messages().size() == 60);
        assertThat(ben.messages().get(0).text()).isEqualTo("message 1");
        assertThat(ben.driver().findElement(By.id("older")).isDisplayed()).isFalse();
    }

    @Test
    void theHostRemovesAMemberWhoIsToldWhy() {
        Browser ana = browser();
        Browser ben = browser();
        ana.join("ana", room);
        ben.join("ben", room);
        ana.waitUntil("ana's host controls offering ben", d -> Boolean.TRUE.equals(ana.script(
                "return !document.getElementById('host-controls').hidden"
                        + " && [...document.getElementById('member-select').options].some(o => o.value === 'ben')")));
        assertThat(ana.script("return document.getElementById('host-line').textContent")).isEqualTo("Host: ana (you)");

        ana.script("document.getElementById('member-select').value = 'ben'");
        ana.driver().findElement(By.id("remove-member")).click();

        ben.waitUntil("ben to be back at the join form", d -> d.findElement(By.id("join-form")).isDisplayed());
        assertThat(ben.notice()).isEqualTo("The host removed you from the call");
        ana.waitUntil("ben's tile to go", d -> !ana.remoteTiles().contains("ben"));
    }

    @Test
    void aNonHostsPageShowsWhoHostsButNoHostControls() {
        Browser ana = browser();
        Browser ben = browser();
        ana.join("ana", room);
        ben.join("ben", room);

        ben.waitUntil("ben's page to name the host", d -> "Host: ana".equals(
                ben.script("return document.getElementById('host-line').textContent")));
        for (String control : List.of("host-controls", "remove-member", "ban-member", "lock-room", "end-room")) {
            assertThat(ben.driver().findElement(By.id(control)).isDisplayed()).as(control).isFalse();
        }
        assertThat(ana.driver().findElement(By.id("end-room")).isDisplayed()).isTrue();
    }
}
