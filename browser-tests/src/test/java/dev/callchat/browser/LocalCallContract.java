package dev.callchat.browser;

import dev.callchat.core.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every server must do for two real browsers on the local provider; each server's test extends it
 * with the one method that starts that server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LocalCallContract {
    protected Chromium chromium;
    protected CallServer server;
    protected String room;
    private BrowserPool browsers;

    /**
     * @param config the local-provider configuration (free port, generous login rate)
     * @return the started server
     */
    protected abstract CallServer start(Config config);

    @BeforeAll
    void startServer() {
        chromium = Chromium.require();
        server = start(Config.from(Map.of("PORT", "0", "CALLCHAT_LOGIN_RATE", "1000/m")));
        browsers = new BrowserPool(chromium, Chromium.DESKTOP);
    }

    @AfterAll
    void stopServer() {
        if (browsers != null) {
            browsers.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void freshRoom() {
        room = "room-" + UUID.randomUUID().toString().substring(0, 8);
        browsers.release();
    }

    /** @return a browser showing a freshly loaded page (browsers are reused across tests: starting one is slow) */
    protected Browser browser() {
        return browsers.next(server.baseUrl());
    }

    @Test
    void twoBrowsersSeeEachOthersVideo() {
        Browser ana = browser();
        Browser ben = browser();
        ana.join("ana", room);
        ben.join("ben", room);

        ana.waitForPlayingVideo("ben");
        ben.waitForPlayingVideo("ana");
    }

    @Test
    void chatFromOneBrowserAppearsInTheOtherWithTheAuthorsName() {
        Browser ana = browser();
        Browser ben = browser();
        ana.join("ana", room);
        ben.join("ben", room);
        ben.openChat();

        ana.sendChat("hello from ana");

        assertThat(ben.waitForMessage("hello from ana")).isEqualTo(new Browser.ChatLine("ana", "hello from ana", false));
        assertThat(ana.waitForMessage("hello from ana").own()).isTrue();
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

        ana.driver().findElement(org.openqa.selenium.By.id("mic")).click();
        ana.driver().findElement(org.openqa.selenium.By.id("camera")).click();

        ben.waitUntil("ana's tile to show muted and camera off", d -> Boolean.TRUE.equals(ben.script(
                "const t = [...document.querySelectorAll('#grid .tile.camera')].find(t => t.dataset.identity === 'ana');"
                        + " return !!t && t.classList.contains('mic-off') && t.classList.contains('camera-off');")));
        assertThat(ana.script("return callchat.tracks.every(t => !t.enabled)")).isEqualTo(true);
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
    void whenOneLeavesTheOtherLosesTheirTile() {
        Browser ana = browser();
        Browser ben = browser();
        ana.join("ana", room);
        ben.join("ben", room);
        ana.waitUntil("ben's tile", d -> ana.remoteTiles().contains("ben"));

        ben.leave();

        ana.waitUntil("ben's tile to go", d -> !ana.remoteTiles().contains("ben"));
        assertThat(ben.remoteTiles()).isEmpty();
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
}
