package dev.callchat.browser;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's behaviour that involves the server (icon, unread counts, full calls, reconnecting), on every
 * server. The server gives video to only two people per room, so a full call takes three browsers.
 */
abstract class PageContract extends BrowserTest {
    /**
     * @param config  the local-provider configuration (free port, generous login rate)
     * @param service the service to serve (video for two per room); the server closes it
     * @return the started server
     */
    protected abstract CallServer start(Config config, CallSessionService service);

    @Override
    protected CallServer startServer() {
        Config config = Config.from(Map.of("CALLCHAT_LOGIN_RATE", "1000/m"));
        return start(config, Servers.withVideoLimit(config, 2));
    }

    @Override
    protected List<String> browserSwitches() {
        return List.of(Chromium.TWO_CAMERAS);
    }

    @Test
    void theIconIsServedSoLoadingThePageLogsNoError() {
        Browser ana = browser();

        Object icon = ana.asyncScript("const done = arguments[arguments.length - 1];"
                + " fetch('/favicon.ico', {cache: 'no-store'}).then(r => r.arrayBuffer().then(b =>"
                + " done([r.status, r.headers.get('Content-Type'), b.byteLength > 0])), e => done(String(e)));");

        assertThat(icon).isEqualTo(List.of(200L, "image/x-icon", true));
        assertThat(ana.script("return document.querySelector('link[rel=icon]').href")).isEqualTo(server.baseUrl() + "favicon.ico");
        List<String> errors = ana.driver().manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
        assertThat(errors).noneMatch(m -> m.contains("favicon") || m.contains("404"));
    }

    @Test
    void someoneJoiningLateIsNotShownOldMessagesAsUnreadOnlyWhatArrivesAfter() {
        Browser ana = browser();
        ana.join("ana", room);
        for (String text : List.of("one", "two", "three")) {
            ana.sendChat(text);
        }

        Browser ben = browser();
        ben.join("ben", room);
        ben.waitUntil("the history", d -> ben.messages().size() == 3);

        assertThat(ben.script("return document.getElementById('unread').hidden")).isEqualTo(true);
        ana.sendChat("four");
        ben.waitUntil("an unread count of 1", d -> "1".equals(ben.script("return document.getElementById('unread').textContent")));
    }

    @Test
    void someoneBeyondTheVideoLimitGetsAChatOnlyViewAndMovesUpWhenAPlaceFrees() {
        Browser ana = browser();
        Browser ben = browser();
        Browser cleo = browser();
        ana.join("ana", room);
        ben.join("ben", room);

        cleo.join("cleo", room);

        cleo.waitUntil("the full-call notice", d -> d.findElement(By.id("full")).isDisplayed());
        assertThat(cleo.driver().findElement(By.id("full-title")).getText()).isEqualTo("This call is full");
        assertThat(cleo.driver().findElement(By.id("full-text")).getText()).contains("chat only");
        assertThat(cleo.driver().findElement(By.id("grid")).isDisplayed()).as("no stuck tiles").isFalse();
        for (String control : List.of("mic", "camera", "share")) {
            assertThat(cleo.driver().findElement(By.id(control)).isEnabled()).as(control).isFalse();
            assertThat(cleo.driver().findElement(By.id(control)).getDomAttribute("title")).contains("full");
        }
        assertThat(cleo.script("return callchat.tracks.length")).as("nothing of cleo's is captured").isEqualTo(0L);
        assertThat(cleo.driver().findElement(By.id("take-video")).isDisplayed()).isFalse();
        assertThat(cleo.driver().findElement(By.id("chat")).isDisplayed()).as("the chat is open").isTrue();
        cleo.sendChat("hello from the chat only");
        ana.waitForMessage("hello from the chat only");

        ben.leave();

        cleo.waitUntil("the offer to move up", d -> d.findElement(By.id("take-video")).isDisplayed());
        cleo.driver().findElement(By.id("take-video")).click();
        cleo.waitUntil("the video view", d -> d.findElement(By.id("grid")).isDisplayed() && !d.findElement(By.id("full")).isDisplayed());
        cleo.waitForPlayingVideo("ana");
        ana.waitForPlayingVideo("cleo");
        assertThat(cleo.driver().findElement(By.id("mic")).isEnabled()).isTrue();
    }

    @Test
    void whenTheNetworkDropsMidCallReconnectingShowsThenCallAndChatRecoverWithoutGapsOrDuplicates() {
        Browser ana = browser();
        Browser ben = browser();
        ana.join("ana", room);
        ben.join("ben", room);
        ben.waitForPlayingVideo("ana");
        ana.sendChat("before the drop");
        ben.waitForMessage("before the drop");

        // Off the network, and the socket dropped as a network change drops it (DevTools' offline mode blocks
        // new connections but leaves open sockets alone), so the page keeps failing to reconnect until back online.
        ben.setOffline(true);
        try {
            ben.script("callchat.provider.ws.close(4000, 'network lost')");
            ben.waitUntil("the reconnecting note", d -> d.findElement(By.id("video-note")).isDisplayed()
                    && d.findElement(By.id("video-note")).getText().equals("Reconnecting the call…"));
            assertThat(ben.script("return document.getElementById('chat-state').textContent")).isEqualTo("reconnecting…");
            ana.waitUntil("ben to drop out on ana's side", d -> !ana.remoteTiles().contains("ben"));
            for (String text : List.of("while away 1", "while away 2", "while away 3")) {
                ana.sendChat(text);
            }
        } finally {
            ben.setOffline(false);
        }

        ben.waitUntil("the call to recover", d -> !d.findElement(By.id("video-note")).isDisplayed());
        ben.waitForPlayingVideo("ana");
        ana.waitForPlayingVideo("ben");
        ana.sendChat("after the recovery");
        ben.waitForMessage("after the recovery");
        assertThat(ben.messages()).extracting(Browser.ChatLine::text).containsExactly(
                "before the drop", "while away 1", "while away 2", "while away 3", "after the recovery");
    }
}
