package dev.callchat.browser;

import dev.callchat.core.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls through a real TURN relay: Debian's coturn on 127.0.0.1 with a TURN REST API secret, callchat
 * handing out per-session credentials derived from the same secret, and two headless Chromium browsers
 * that may only use relayed candidates.
 *
 * <p>Relay-only ICE ({@code iceTransportPolicy: 'relay'}) is a test-only setting: the test registers a
 * script through the DevTools protocol ({@code Page.addScriptToEvaluateOnNewDocument}) that wraps the
 * page's {@code RTCPeerConnection} before any page script runs. Nothing in callchat's server or page can
 * turn it on, so no user can. Without it, two browsers on one machine would always connect directly.
 */
class TurnRelayTest extends BrowserTest {
    private static final String RELAY_ONLY = """
            (() => {
              const Native = window.RTCPeerConnection;
              const relayOnly = (config) => ({ ...(config || {}), iceTransportPolicy: 'relay' });
              class RelayOnlyPeerConnection extends Native {
                constructor(config, ...rest) { super(relayOnly(config), ...rest); }
                setConfiguration(config) { return super.setConfiguration(relayOnly(config)); }
              }
              window.RTCPeerConnection = RelayOnlyPeerConnection;
            })();""";
    /** Records when the Join button is clicked and when the first remote video frame shows, in epoch ms. */
    private static final String FIRST_FRAME_PROBE = """
            window.__joinClickedAt = null; window.__firstRemoteFrameAt = null;
            document.getElementById('join').addEventListener('click', () => { window.__joinClickedAt = Date.now(); }, { once: true });
            const probe = setInterval(() => {
              const v = [...document.querySelectorAll('#grid .tile.camera[data-identity] video')].find((v) => v.videoWidth > 0);
              if (v) { window.__firstRemoteFrameAt = Date.now(); clearInterval(probe); }
            }, 5);""";
    /** The selected candidate pair of the link to a peer: [local type, remote type, pair state]. */
    private static final String SELECTED_PAIR = """
            const done = arguments[arguments.length - 1];
            const link = window.callchat.provider.peers.get(arguments[0]);
            link.pc.getStats().then((stats) => {
              let pair = null;
              stats.forEach((r) => { if (r.type === 'transport' && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId); });
              if (!pair) { done(null); return; }
              done([stats.get(pair.localCandidateId).candidateType, stats.get(pair.remoteCandidateId).candidateType, pair.state]);
            }, (e) => done('getStats failed: ' + e));""";

    /**
     * Calls per path for the first-frame figure, whose median is printed: one unless
     * {@code -Dcallchat.turn.rounds=N} asks for more (every round checks the same behaviour again; more
     * only steady the figure, a note for the docs).
     */
    private static final int ROUNDS = Integer.getInteger("callchat.turn.rounds", 1);

    /** A second server, whose TURN secret is not coturn's (it stops coturn when it stops). */
    private CallServer wrongSecret;
    /** The DevTools init scripts that make a browser relay-only, to remove after the test. */
    private final Map<Browser, String> relayScripts = new java.util.IdentityHashMap<>();

    /** @return the server whose TURN secret is coturn's; the one with a wrong secret starts beside it */
    @Override
    protected CallServer startServer() {
        String secret = randomSecret();
        Coturn coturn = Coturn.start(secret);
        try {
            wrongSecret = Servers.alsoClosing(Servers.undertow(config(coturn.turnUrl(), randomSecret())), coturn);
        } catch (RuntimeException e) {
            coturn.close();
            throw e;
        }
        try {
            return Servers.alsoClosing(Servers.undertow(config(coturn.turnUrl(), secret)), wrongSecret);
        } catch (RuntimeException e) {
            wrongSecret.close();
            throw e;
        }
    }

    @AfterEach
    void allowDirectAgain() {
        relayScripts.forEach((browser, id) -> browser.driver().executeCdpCommand(
                "Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id)));
        relayScripts.clear();
    }

    @Test
    void relayOnlyBrowsersSeeEachOtherThroughTurn() {
        List<Long> times = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Browser[] call = callPlayingBothWays("turn-relay-" + round, true);

            assertThat(selectedPair(call[0], "ben")).as("ana's selected candidate pair").containsExactly((Object) "relay", "relay", "succeeded");
            assertThat(selectedPair(call[1], "ana")).as("ben's selected candidate pair").containsExactly((Object) "relay", "relay", "succeeded");
            times.add(firstFrameBothWays(call[0], call[1]));
        }
        report("relayed through coturn (relay/relay pair)", times);
    }

    @Test
    void theSameCallWithoutTheRelayRuleConnectsDirectly() {
        List<Long> times = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Browser[] call = callPlayingBothWays("turn-direct-" + round, false);

            assertThat(selectedPair(call[1], "ana")).as("ben's selected candidate pair").first().isEqualTo("host");
            times.add(firstFrameBothWays(call[0], call[1]));
        }
        report("direct (host/host pair, same server)", times);
    }

    @Test
    void aRefreshedSessionHandsItsNewTurnCredentialsToTheLiveCall() {
        Browser[] call = callPlayingBothWays("turn-refresh", true);
        Browser ana = call[0];
        Browser ben = call[1];
        String before = turnUsername(ben);

        ben.asyncScript("const done = arguments[arguments.length - 1];"
                + " new Promise((r) => setTimeout(r, 1100)).then(() => window.callchat.refresh()).then(() => done(true), (e) => done(String(e)));");

        String after = turnUsername(ben);
        assertThat(after).isNotEqualTo(before).endsWith(":ben");
        assertThat(ben.script("return window.callchat.provider.peers.get('ana').pc.getConfiguration()"
                + ".iceServers.find((s) => s.username).username")).as("the live link's TURN username").isEqualTo(after);
        ana.waitForPlayingVideo("ben");
        ben.waitForPlayingVideo("ana");
        assertThat(selectedPair(ben, "ana")).first().isEqualTo("relay");
    }

    @Test
    void aWrongTurnSecretEndsInTheClearMessageOnTheTile() {
        Browser ana = open(relayOnly(browsers.nextBlank()), wrongSecret);
        Browser ben = open(relayOnly(browsers.nextBlank()), wrongSecret);
        ana.join("ana", room);
        ben.join("ben", room);

        String expected = "Couldn't connect to ana — their network may block calls";
        String shown = ben.waitUntil("ben's tile of ana to say the connection failed", d -> {
            List<org.openqa.selenium.WebElement> problems = d.findElements(By.cssSelector("#grid .tile[data-identity='ana'] .tile-problem"));
            return problems.isEmpty() ? null : problems.get(0).getDomProperty("textContent");
        });
        assertThat(shown).startsWith(expected).contains("refused", "CALLCHAT_TURN_SECRET");
        ana.waitUntil("ana's tile of ben to say the connection failed",
                d -> !d.findElements(By.cssSelector("#grid .tile[data-identity='ben'] .tile-problem")).isEmpty());
        assertThat(ben.driver().findElement(By.cssSelector("#grid .tile[data-identity='ana']")).getDomAttribute("class"))
                .contains("unreachable");
    }

    /**
     * ana and ben (relay-only if asked) join a new room of the server whose secret is coturn's, and each
     * waits until the other's video plays.
     *
     * @return {ana, ben}
     */
    private Browser[] callPlayingBothWays(String roomPrefix, boolean relayOnly) {
        room = roomPrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        browsers.release();
        Browser ana = browsers.nextBlank();
        Browser ben = browsers.nextBlank();
        for (Browser browser : new Browser[] {ana, ben}) {
            open(relayOnly ? relayOnly(browser) : browser, server);
        }
        ana.join("ana", room);
        ben.join("ben", room);

        ana.waitForPlayingVideo("ben");
        ben.waitForPlayingVideo("ana");
        return new Browser[] {ana, ben};
    }

    private Config config(String turnUrl, String secret) {
        return Config.from(Map.of("PORT", "0", "CALLCHAT_LOGIN_RATE", "1000/m",
                "CALLCHAT_ICE_SERVERS", turnUrl, "CALLCHAT_TURN_SECRET", secret));
    }

    /** @return the browser, which from its next page on may use relayed candidates only (until the test ends) */
    private Browser relayOnly(Browser browser) {
        if (!relayScripts.containsKey(browser)) {
            Map<String, Object> added = browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                    Map.of("source", RELAY_ONLY));
            relayScripts.put(browser, (String) added.get("identifier"));
        }
        return browser;
    }

    private static Browser open(Browser browser, CallServer server) {
        browser.open(server.baseUrl());
        browser.script(FIRST_FRAME_PROBE);
        return browser;
    }

    private static List<Object> selectedPair(Browser browser, String peer) {
        Object pair = browser.waitUntil("a selected candidate pair to " + peer, d -> browser.asyncScript(SELECTED_PAIR, peer));
        assertThat(pair).as("getStats of the link to " + peer).isInstanceOf(List.class);
        return new ArrayList<>((List<?>) pair);
    }

    private static String turnUsername(Browser browser) {
        return (String) browser.script("const s = window.callchat.session.ice_servers.find((s) => s.username);"
                + " return s ? s.username : null;");
    }

    /** @return ms from the second browser's Join click until both browsers show a remote frame */
    private static long firstFrameBothWays(Browser first, Browser second) {
        long clicked = ((Number) second.script("return window.__joinClickedAt")).longValue();
        long atSecond = ((Number) second.script("return window.__firstRemoteFrameAt")).longValue();
        long atFirst = ((Number) first.script("return window.__firstRemoteFrameAt")).longValue();
        return Math.max(atFirst, atSecond) - clicked;
    }

    /** A figure for the docs, not a verdict: wall-clock times on a shared machine only inform. */
    private static void report(String path, List<Long> times) {
        List<Long> sorted = times.stream().sorted().toList();
        System.out.printf("[turn] %s: first remote frame both ways %d ms after the second Join (median of %d; all: %s)%n",
                path, sorted.get(sorted.size() / 2), sorted.size(), times);
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
