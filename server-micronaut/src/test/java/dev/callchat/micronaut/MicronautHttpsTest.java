package dev.callchat.micronaut;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.HttpsContract;

/** CALLCHAT_TLS_*: Micronaut's SSL is switched on from the same ServerConfig, HTTP kept beside it (dual protocol). */
class MicronautHttpsTest extends HttpsContract {
    @Override
    protected Listening start(ServerConfig listen, CallChatHttp http) {
        CallChatMicronaut server = CallChatMicronaut.start(listen, http);
        return new Listening(server.baseUri(), server.httpsUri(), server);
    }
}
