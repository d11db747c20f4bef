package dev.callchat.micronaut;

import dev.callchat.core.ErrorKind;
import dev.callchat.core.http.CallChatHttp;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Renders the few errors Micronaut still raises itself (a request Netty could not decode, a failure
 * outside {@link CallChatFilter}) as core's problem+json, replacing Micronaut's {@code _embedded.errors}
 * JSON and its HTML error page.
 */
@Singleton
// Embedded under a prefix (callchat.path), the host application keeps its own error format.
@Requires(missingProperty = CallChatFilter.MOUNT_PROPERTY)
class ProblemErrorResponses implements ErrorResponseProcessor<byte[]> {
    private final CallChatHttp http;

    ProblemErrorResponses(CallChatHttp http) {
        this.http = http;
    }

    @Override
    public MutableHttpResponse<byte[]> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        int status = decodingFailure(context.getRequest()).map(ErrorKind::status).orElse(base.code());
        return CallChatFilter.toResponse(http.problem(status));
    }

    /**
     * Micronaut answers any over-long request line or header block with 413; core says 414 and 431.
     * Only the Netty request (Micronaut-internal, pinned by the BOM) knows which limit was hit.
     */
    private static Optional<ErrorKind> decodingFailure(HttpRequest<?> request) {
        Throwable cause = request instanceof NettyHttpRequest<?> netty ? netty.getNativeRequest().decoderResult().cause() : null;
        if (cause instanceof TooLongHttpLineException) {
            return Optional.of(ErrorKind.URI_TOO_LONG);
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return Optional.of(ErrorKind.HEADERS_TOO_LARGE);
        }
        return Optional.empty();
    }
}
