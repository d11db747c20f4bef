package dev.callchat.twilio;

import java.time.Duration;
import java.util.Optional;

/**
 * What one Twilio attempt can end in besides success. Internal to the provider: {@link ResilientCalls}
 * turns each into a retry, a {@code CallChatException} or an answer its caller handles (404, 409).
 */
abstract sealed class UpstreamFailure extends RuntimeException
        permits UpstreamFailure.Transient, UpstreamFailure.Answer, UpstreamFailure.CredentialsRejected,
        UpstreamFailure.DeadlinePassed, UpstreamFailure.Throttled {
    private static final long serialVersionUID = 1L;

    UpstreamFailure(String message, Throwable cause) {
        // No stack trace: these are expected outcomes, and they travel through retries.
        super(message, cause, false, false);
    }

    /** 429, 5xx, timeout or I/O error: worth another try, and counted by the circuit breaker. */
    static final class Transient extends UpstreamFailure {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final transient Duration retryAfter;

        Transient(int status, Duration retryAfter, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.retryAfter = retryAfter;
        }

        /** @return the HTTP status, or -1 when no answer arrived */
        int status() {
            return status;
        }

        /** @return what Twilio's {@code Retry-After} asked for, if it said */
        Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /** A definite answer that is not success (404, 409, other 4xx): not retried, not a breaker failure. */
    static final class Answer extends UpstreamFailure {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final Integer code;

        Answer(int status, Integer code, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.code = code;
        }

        int status() {
            return status;
        }

        /** @return Twilio's error code ({@code 50353}, {@code 20404}…), or null */
        Integer code() {
            return code;
        }

        boolean is(int status, int code) {
            return this.status == status && this.code != null && this.code == code;
        }
    }

    /** 401 / Twilio error 20003: our configuration is wrong; retrying cannot help. */
    static final class CredentialsRejected extends UpstreamFailure {
        private static final long serialVersionUID = 1L;

        CredentialsRejected(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The login deadline left no time for (another) try. */
    static final class DeadlinePassed extends UpstreamFailure {
        private static final long serialVersionUID = 1L;

        DeadlinePassed(String message, Throwable lastFailure) {
            super(message, lastFailure);
        }
    }

    /**
     * 429 on a paced call: Twilio did not process it ("never processed and always safe to retry"), and
     * the caller's pacer, not a retry loop, decides when to try again. Says nothing about Twilio's health.
     */
    static final class Throttled extends UpstreamFailure {
        private static final long serialVersionUID = 1L;

        Throttled(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
