package dev.callchat.browser;

import com.sun.net.httpserver.HttpServer;
import dev.callchat.core.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Twilio SDK bundles from the web-client jar (not this module's test doubles) load under the
 * servers' Content-Security-Policy, which has no 'unsafe-eval': twilio-video builds a function from a
 * string while it loads, and js/load-script.js must answer that without eval. No network: only loading
 * is checked.
 */
@ExtendWith(BrowserStock.Resolver.class)
class VendorBundlesUnderCspTest {
    private static final String ROOT = "META-INF/resources/callchat";

    @Test
    void realSdkBundlesLoadUnderTheServersContentSecurityPolicy(BrowserStock stock) throws Exception {
        Chromium chromium = Chromium.require();
        String csp = serversContentSecurityPolicy();
        HttpServer jarOnly = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jarOnly.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            URL resource = fromWebClientJar(ROOT + (path.equals("/") ? "/index.html" : path));
            if (resource == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body;
            try (InputStream in = resource.openStream()) {
                body = in.readAllBytes();
            }
            exchange.getResponseHeaders().add("Content-Type", path.endsWith(".js") ? "text/javascript"
                    : path.endsWith(".css") ? "text/css" : "text/html; charset=utf-8");
            exchange.getResponseHeaders().add("Content-Security-Policy", csp);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jarOnly.start();
        Browser browser = stock.borrow(chromium, Chromium.DESKTOP, List.of());
        try {
            browser.open(CallServer.localhost(jarOnly.getAddress().getPort()));

            Object loaded = browser.asyncScript("const done = arguments[arguments.length - 1];"
                    + " import('./js/load-script.js')"
                    + ".then(m => Promise.all([m.loadVendorScript('vendor/video.js'), m.loadVendorScript('vendor/conversations.js')]))"
                    + ".then(() => done([String(Twilio.Video.version), typeof Twilio.Video.connect,"
                    + " typeof Twilio.Conversations.Client, Function === Object.getPrototypeOf(() => {}).constructor]))"
                    + ".catch(e => done(['failed: ' + e]));");

            assertThat(loaded).as(browser.diagnostics()).isEqualTo(List.of(versionOf("video.js"), "function", "function", true));
            assertThat(browser.diagnostics()).doesNotContain("Content Security Policy");
        } finally {
            stock.giveBack(browser);
            jarOnly.stop(0);
        }
    }

    /** The policy exactly as a real server sends it with the page. */
    private static String serversContentSecurityPolicy() throws IOException, InterruptedException {
        try (CallServer server = Servers.undertow(Config.from(Map.of()))) {
            HttpResponse<Void> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl())).build(), HttpResponse.BodyHandlers.discarding());
            return page.headers().firstValue("Content-Security-Policy").orElseThrow();
        }
    }

    /** The copy inside the web-client jar, skipping this module's test doubles that shadow it on the classpath. */
    private static URL fromWebClientJar(String name) throws IOException {
        for (URL url : Collections.list(VendorBundlesUnderCspTest.class.getClassLoader().getResources(name))) {
            if (url.getProtocol().equals("jar") && url.getPath().contains("callchat-web-client")) {
                return url;
            }
        }
        return null;
    }

    /** @return the version the build vendored, from vendor/versions.json ("twilio-video@2.36.0") */
    private static String versionOf(String bundle) throws IOException {
        try (InputStream in = fromWebClientJar(ROOT + "/vendor/versions.json").openStream()) {
            String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return json.replaceAll("(?s).*\"" + bundle.replace(".", "\\.") + "\":\\s*\"[^@\"]+@([^\"]+)\".*", "$1");
        }
    }
}
