package dev.callchat.browser;

import dev.callchat.core.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every server must do for two real browsers on the local provider (join, see each other, chat,
 * leave); each server's test extends it with the one method that starts that server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LocalCallContract {
    protected Chromium chromium;
    protected CallServer server;
    protected String room;
    protected BrowserPool browsers;

    /**
     * @param config the local-provider configuration (free port, generous login rate)
     * @return the started server
     */
    protected abstract CallServer start(Config config);

    @BeforeAll
    void startServer() {
        chromium = Chromium.require();
        server = start(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "1000/m")));
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

}
