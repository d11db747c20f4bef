package dev.callchat.core.http;

import dev.callchat.core.CallChatException;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.spi.ProviderCallbacks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /twilio/events}: Twilio's status callbacks and webhooks (docs/twilio-limits.md#room-events). Core
 * bounds and decodes the form; the provider verifies the signature against the configured public URL (never the
 * {@code Host} this server saw: behind a reverse proxy they differ), drops replays and reports what happened.
 */
final class ProviderCallbacksEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderCallbacksEndpoint.class);
    private static final String FORM = "application/x-www-form-urlencoded";

    private final ProviderCallbacks callbacks;
    private final String url;
    private final Replies replies;
    /** Each refusal reason is logged once per process: a flood of forged callbacks must not flood the log. */
    private final Set<ProviderCallbacks.Verdict> logged = ConcurrentHashMap.newKeySet();

    ProviderCallbacksEndpoint(ProviderCallbacks callbacks, URI publicUrl, Replies replies) {
        this.callbacks = callbacks;
        this.url = publicUrl + CallChatHttp.TWILIO_EVENTS_PATH;
        this.replies = replies;
    }

    HttpReply handle(HttpCall call) {
        String type = call.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (!type.equals(FORM) && !type.startsWith(FORM + ";")) {
            throw new CallChatException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "Callbacks must be " + FORM);
        }
        byte[] body;
        try {
            body = call.body(CallChatHttp.MAX_CALLBACK_BYTES);
        } catch (BodyTooLargeException e) {
            throw new CallChatException(ErrorKind.PAYLOAD_TOO_LARGE,
                    "A callback body must be at most " + CallChatHttp.MAX_CALLBACK_BYTES + " bytes");
        } catch (UncheckedIOException e) {
            throw new CallChatException(ErrorKind.BAD_REQUEST, "The request body could not be read completely");
        }
        ProviderCallbacks.Verdict verdict = callbacks.receive(
                new ProviderCallbacks.Callback(url, form(body), call::header));
        switch (verdict) {
            case ACCEPTED, DUPLICATE -> {
                return new HttpReply(204, Replies.baseHeaders(), new byte[0]);
            }
            default -> {
                if (logged.add(verdict)) {
                    // Neither the signature nor any parameter: only the reason and the peer.
                    LOG.warn("Refused a callback to {} from {}: {} (logged once per reason; check TWILIO_AUTH_TOKEN and"
                            + " that CALLCHAT_PUBLIC_URL is the URL Twilio calls)", CallChatHttp.TWILIO_EVENTS_PATH,
                            LoginEndpoint.printable(call.remoteAddress()),
                            verdict == ProviderCallbacks.Verdict.UNSIGNED ? "no X-Twilio-Signature" : "wrong signature");
                }
                throw new CallChatException(ErrorKind.FORBIDDEN, verdict == ProviderCallbacks.Verdict.UNSIGNED
                        ? "The callback carries no X-Twilio-Signature" : "The callback's X-Twilio-Signature does not match");
            }
        }
    }

    /** The last value of a repeated name, as twilio-java's {@code RequestValidator} takes them. */
    private static Map<String, String> form(byte[] body) {
        Map<String, String> params = new HashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(name, value);
            }
        } catch (IllegalArgumentException e) {
            throw new CallChatException(ErrorKind.BAD_REQUEST, "The form body is not valid URL encoding");
        }
        return params;
    }
}
