package dev.callchat.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure that callchat reports to its caller: it knows its {@link ErrorKind} (hence its HTTP
 * status), a human {@link #detail()} that is safe to show (never a secret), and optionally how
 * long the caller should wait before retrying.
 */
public class CallChatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong; decides the HTTP status. */
    private final ErrorKind kind;
    private final transient Duration retryAfter;

    /**
     * @param kind   what went wrong
     * @param detail a message for the user; must not contain secrets
     */
    public CallChatException(ErrorKind kind, String detail) {
        this(kind, detail, null, null);
    }

    /**
     * @param kind       what went wrong
     * @param detail     a message for the user; must not contain secrets
     * @param retryAfter how long to wait before retrying, or {@code null}
     * @param cause      the underlying failure, or {@code null}; never rendered to clients
     */
    public CallChatException(ErrorKind kind, String detail, Duration retryAfter, Throwable cause) {
        super(Objects.requireNonNull(detail, "detail"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.retryAfter = retryAfter;
    }

    /** @return what went wrong */
    public ErrorKind kind() {
        return kind;
    }

    /** @return the user-facing explanation (the problem {@code detail}) */
    public String detail() {
        return getMessage();
    }

    /** @return how long the caller should wait before retrying, if known */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
