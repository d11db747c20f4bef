package dev.callchat.browser;

import dev.callchat.core.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every server must do for two real browsers on the local provider (join, see each other, chat,
 * leave); each server's test extends it with the one method that starts that server.
 */
abstract class LocalCallContract extends BrowserTest {
    /**
     * @param config the local-provider configuration (free port, generous login rate)
     * @return the started server
     */
    protected abstract CallServer start(Config config);

    @Override
    protected CallServer startServer() {
        return start(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "1000/m")));
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
