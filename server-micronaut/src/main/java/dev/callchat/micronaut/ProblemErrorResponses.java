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
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.Optional;

/**
 * Renders the few errors Micronaut still raises itself (a request Netty could not decode, a failure
 * outside {@link CallChatFilter}) as core's problem+json, replacing Micronaut's {@code _embedded.errors}
 * JSON and its HTML error page.
 */
@Singleton
class ProblemErrorResponses implements ErrorResponseProcessor<byte[]> {
    private final CallChatHttp http;

    ProblemErrorResponses(CallChatHttp http) {
        this.http = http;
    }

    @Override
    public MutableHttpResponse<byte[]> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        ErrorKind kind = decodingFailure(context.getRequest()).orElseGet(() -> kindOf(base.code()));
        return CallChatFilter.toResponse(http.problem(kind, detailOf(kind)));
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

    private static ErrorKind kindOf(int status) {
        return Arrays.stream(ErrorKind.values()).filter(kind -> kind.status() == status && kind != ErrorKind.UPSTREAM_REJECTED)
                .findFirst().orElse(status < 500 ? ErrorKind.BAD_REQUEST : ErrorKind.INTERNAL_ERROR);
    }

    private static String detailOf(ErrorKind kind) {
        return switch (kind) {
            case NOT_FOUND -> "Nothing is served at this path";
            case PAYLOAD_TOO_LARGE -> "The request body must be at most " + CallChatHttp.MAX_BODY_BYTES + " bytes";
            case URI_TOO_LONG -> "The request line is too long";
            case HEADERS_TOO_LARGE -> "The request headers are too large";
            case INTERNAL_ERROR, SERVICE_UNAVAILABLE -> "Something went wrong on our side; it has been logged";
            default -> "The request could not be understood";
        };
    }
}
