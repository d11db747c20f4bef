package dev.callchat.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.testing.FakeTwilio;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's Twilio code path, with no network: the Undertow server runs in twilio mode against the fake
 * Twilio REST API, and the browser gets scripted test doubles of the two SDK bundles (this module's test
 * resources shadow {@code vendor/video.js} and {@code vendor/conversations.js} on the classpath).
 */
class TwilioPathTest extends TwilioBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void joinsTheVideoRoomNamedByTheLoginAndPlaysRemoteVideo() {
        Browser ana = browser();

        ana.join("ana", room);

        assertThat(ana.script("return Twilio.Video.version")).isEqualTo("fake-2.x");
        assertThat(ana.script("return fakeTwilio.video.connects[0].name")).isEqualTo(room);
        ana.waitForPlayingVideo("twilio-bot");
    }

    @Test
    void chatGoesThroughTheConversationOfTheLogin() {
        Browser ana = browser();
        ana.join("ana", room);
        ana.openChat();

        ana.sendChat("hello twilio");

        assertThat(ana.waitForMessage("hello twilio").own()).isTrue();
        assertThat(ana.waitForMessage("welcome from the fake conversation").author()).isEqualTo("twilio-bot");
        assertThat(ana.script("return [...fakeTwilio.chat.clients[0].conversations.keys()][0]"))
                .isEqualTo(ana.script("return callchat.session.conversation_sid"));
    }

    @Test
    void tokenAboutToExpireLogsInAgainAndUpdatesTheChatToken() {
        Browser ana = browser();
        ana.join("ana", room);
        waitForChatReady(ana);
        assertThat(loginRequests(ana)).isEqualTo(1L);

        ana.script("fakeTwilio.chat.clients[0].fireTokenAboutToExpire()");

        String renewed = ana.waitUntil("updateToken on the chat client",
                d -> (String) ana.script("return fakeTwilio.chat.clients[0].updatedTokens[0] || null"));
        assertThat(loginRequests(ana)).isEqualTo(2L);
        assertThat(renewed).isEqualTo(ana.script("return callchat.session.token"));
        JsonNode grants = claims(renewed).path("grants");
        assertThat(grants.path("identity").asText()).isEqualTo("ana");
        assertThat(grants.path("video").path("room").asText()).isEqualTo(room);
    }

    @Test
    void chatThatCannotConnectLeavesTheCallRunningAndDisablesTheChatButton() {
        Browser ana = browser();
        ana.script("localStorage.setItem('fakeTwilio.chat', 'fail')");
        try {
            ana.join("ana", room);

            WebElement toggle = ana.waitUntil("the chat button to be disabled", d -> {
                WebElement t = d.findElement(By.id("chat-toggle"));
                return t.isEnabled() ? null : t;
            });
            assertThat(toggle.getDomAttribute("aria-label")).startsWith("Chat unavailable").contains("The call continues");
            assertThat(ana.driver().findElement(By.id("chat-reason")).isDisplayed()).isTrue();
            assertThat(ana.script("return fakeTwilio.chat.clients[0].shutdownCalled")).isEqualTo(true);
            ana.waitForPlayingVideo("twilio-bot");
            assertThat(ana.script("return fakeTwilio.video.disconnects")).isEqualTo(0L);
        } finally {
            ana.script("localStorage.removeItem('fakeTwilio.chat')");
        }
    }

    @Test
    void aPendingEnrollmentJoinsTheVideoAtOnceShowsChatConnectingAndOpensChatOnceAdded() throws Exception {
        // The room's first participant takes the conversation's only action of this second: Twilio answers
        // the next add 429, and its clock stands still until the test lets it go on.
        twilio.actionsClock(Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC)).actionsPerSecond(1);
        Browser ana = browser();
        ana.script("localStorage.setItem('fakeTwilio.chat', 'pending')");
        try {
            HttpResponse<String> host = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(
                            URI.create(server.baseUrl()).resolve("login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"host\",\"room\":\"" + room + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(host.statusCode()).as(host.body()).isEqualTo(200);
            assertThat(JSON.readTree(host.body()).path("chat_status").asText()).isEqualTo("ready");

            ana.join("ana", room);

            ana.waitForPlayingVideo("twilio-bot");
            assertThat(ana.script("return callchat.session.chat_status")).isEqualTo("pending");
            String sid = (String) ana.script("return callchat.session.conversation_sid");
            ana.waitUntil("the chat to say it is connecting", d ->
                    d.findElement(By.id("chat-state")).getDomProperty("textContent").equals("Chat connecting…"));
            ana.waitUntil("the page to ask for the conversation", d ->
                    (Long) ana.script("return fakeTwilio.chat.clients[0].lookups || 0") >= 1);
            assertThat(ana.script("return document.querySelectorAll('#messages li').length")).isEqualTo(0L);

            // Twilio's second passes: the server's queue adds ana, and Twilio tells her client.
            twilio.actionsClock(Clock.systemUTC()).actionsPerSecond(30);
            ana.waitUntil("the server to add ana to the conversation", d -> twilio.participants(sid).contains("ana"));
            ana.script("fakeTwilio.chat.clients[0].addedTo(arguments[0])", sid);

            waitForChatReady(ana);
            assertThat(ana.driver().findElement(By.id("chat-state")).getDomProperty("textContent")).isEmpty();
            assertThat(ana.waitForMessage("welcome from the fake conversation").author()).isEqualTo("twilio-bot");
            assertThat(ana.script("return fakeTwilio.video.disconnects")).isEqualTo(0L);
        } finally {
            twilio.actionsClock(Clock.systemUTC()).actionsPerSecond(30);
            ana.script("localStorage.removeItem('fakeTwilio.chat')");
        }
    }

    @Test
    void loginWithoutChatKeepsTheCallAndDisablesTheChatButton() {
        // Its own server: the outage opens the circuit breaker, which must not leak into the other tests.
        try (FakeTwilio down = FakeTwilio.start(); CallServer degraded = Servers.undertow(down.config(SERVER))) {
            down.failAlways(FakeTwilio.Fault.unavailable());
            Browser ana = browser(degraded);

            ana.join("ana", room);

            assertThat(ana.script("return callchat.session.chat")).isEqualTo(false);
            ana.waitUntil("the chat button to be disabled", d -> !d.findElement(By.id("chat-toggle")).isEnabled());
            assertThat(ana.script("return fakeTwilio.chat === undefined || fakeTwilio.chat.clients.length === 0"))
                    .isEqualTo(true);
            ana.waitForPlayingVideo("twilio-bot");
        }
    }

    @Test
    void leavingDisconnectsTheRoomAndShutsChatDown() {
        Browser ana = browser();
        ana.join("ana", room);
        waitForChatReady(ana);
        ana.script("window.tracksBeforeLeaving = callchat.tracks.slice()");

        ana.leave();

        assertThat(ana.script("return tracksBeforeLeaving.length > 0"
                + " && tracksBeforeLeaving.every(t => t.readyState === 'ended')")).isEqualTo(true);
        assertThat(ana.script("return fakeTwilio.video.disconnects")).isEqualTo(1L);
        assertThat(ana.script("return fakeTwilio.chat.clients[0].shutdownCalled")).isEqualTo(true);
        assertThat(ana.script("return document.querySelectorAll('#grid .tile').length")).isEqualTo(0L);
        assertThat(ana.script("return callchat.tracks.length")).isEqualTo(0L);
    }

    private Browser browser(CallServer on) {
        return browsers.next(on.baseUrl());
    }

    private static void waitForChatReady(Browser browser) {
        browser.waitUntil("chat to connect", d -> Boolean.TRUE.equals(browser.script(
                "return !!(window.fakeTwilio && fakeTwilio.chat && fakeTwilio.chat.clients[0]"
                        + " && fakeTwilio.chat.clients[0].state === 'initialized')"
                        + " && !document.getElementById('chat-toggle').disabled"
                        + " && document.querySelectorAll('#messages li').length > 0")));
    }

    /** @return how many POST /login requests the page has made (Resource Timing sees fetches) */
    private static long loginRequests(Browser browser) {
        return (Long) browser.script("return performance.getEntriesByType('resource')"
                + ".filter(e => new URL(e.name).pathname === '/login').length");
    }

    private static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new AssertionError("not a JWT: " + e.getMessage(), e);
        }
    }

}
