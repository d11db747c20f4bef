package dev.callchat.examples;

// embed:authenticator-imports
import dev.callchat.core.CallChatException;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.config.Config;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.HttpString;

import java.util.Map;
// end:authenticator-imports

/**
 * Example of docs/embedding.md: the identity in the call is the user the host application has
 * already signed in, not a typed name. The host resolves its own session and hands the user to
 * callchat in a request header; callchat's {@link dev.callchat.core.Authenticator} reads it.
 */
public final class HostSessionLogin {
    /** The header the host application sets for callchat; whatever a client sends in it is dropped. */
    public static final String USER_HEADER = "X-Authenticated-User";

    private HostSessionLogin() {
    }

    /**
     * @param config the configuration
     * @return a service whose logins take the identity from {@link #USER_HEADER}, refusing (401) without it
     */
    public static CallSessionService service(Config config) {
        // embed:authenticator
        CallSessionService calls = CallSessionService.builder(config)
                .authenticator(login -> login.context().header("X-Authenticated-User")
                        .orElseThrow(() -> new CallChatException(ErrorKind.UNAUTHORIZED, "Sign in to the product first")))
                .build();
        // end:authenticator
        return calls;
    }

    /**
     * The host's side: put the signed-in user, and only that, into the header.
     *
     * @param usersBySessionId the host's sessions (here a map from its {@code session} cookie to the user name)
     * @param next             the handler to call, e.g. callchat's
     * @return a handler that sets {@link #USER_HEADER} from the host's session
     */
    public static HttpHandler fromHostSession(Map<String, String> usersBySessionId, HttpHandler next) {
        // embed:host-session
        HttpString userHeader = HttpString.tryFromString("X-Authenticated-User");
        return exchange -> {
            exchange.getRequestHeaders().remove(userHeader);   // never trust a client's own value
            Cookie session = exchange.getRequestCookie("session");
            String user = session == null ? null : usersBySessionId.get(session.getValue());
            if (user != null) {
                exchange.getRequestHeaders().put(userHeader, user);
            }
            next.handleRequest(exchange);
        };
        // end:host-session
    }
}
