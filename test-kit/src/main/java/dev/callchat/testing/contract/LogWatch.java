package dev.callchat.testing.contract;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Watches every logger while a test runs, for what a client's mistake must not cause: an ERROR, or a
 * WARN carrying a stack trace.
 */
final class LogWatch implements AutoCloseable {
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger root;

    private LogWatch() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        events.setContext(context);
        events.start();
        root.addAppender(events);
    }

    static LogWatch start() {
        return new LogWatch();
    }

    /** @return the ERROR events, and WARN events with a stack trace, seen so far, as "logger: message" */
    List<String> errors() {
        return List.copyOf(events.list).stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)
                        || (e.getLevel().isGreaterOrEqual(Level.WARN) && e.getThrowableProxy() != null))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
                .toList();
    }

    @Override
    public void close() {
        root.detachAppender(events);
        events.stop();
    }
}
