package dev.callchat.undertow;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.HttpsContract;

/** CALLCHAT_TLS_*: the server started from a ServerConfig adds an HTTPS listener beside HTTP. */
class UndertowHttpsTest extends HttpsContract {
    @Override
    protected Listening start(ServerConfig listen, CallChatHttp http) {
        CallChatUndertow server = CallChatUndertow.start(listen, http);
        return new Listening(server.baseUri(), server.httpsUri(), server);
    }
}
