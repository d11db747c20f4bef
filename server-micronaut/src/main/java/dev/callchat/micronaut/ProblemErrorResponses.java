package dev.callchat.micronaut;

import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpReply;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Micronaut's error rendering as core's problem+json, for the standalone server, which has no JSON module for
 * Micronaut's own. Callchat's requests never reach it ({@link CallChatPipeline} answers them before Micronaut);
 * embedded under a prefix ({@code callchat.path}), the host application keeps its own error format.
 */
@Singleton
@Requires(missingProperty = CallChatPipeline.MOUNT_PROPERTY)
class ProblemErrorResponses implements ErrorResponseProcessor<byte[]> {
    private final CallChatHttp http;

    ProblemErrorResponses(CallChatHttp http) {
        this.http = http;
    }

    @Override
    public MutableHttpResponse<byte[]> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpReply reply = http.problem(response.code());
        reply.headers().forEach(response::header);
        return response.body(reply.body());
    }
}
