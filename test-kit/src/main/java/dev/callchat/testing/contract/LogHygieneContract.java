package dev.callchat.testing.contract;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.callchat.testing.FakeTwilio;
import dev.callchat.testing.reliability.SecretScan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole shared contract suite, both modes, with {@code dev.callchat} (and the adapters'
 * {@code callchat} start-up logger) at
 * TRACE into a capturing appender and {@code System.out}/{@code System.err} teed: afterwards no
 * event (message, arguments, exception messages, stack frames) and no printed line may contain
 * the Twilio API key secret, the local token secret, the Basic credentials, or any complete JWT.
 * An adapter runs it by extending it with the same one-method factory as {@link HttpContract};
 * its tests must log through logback (copy the kit's logback-test.xml, or your own).
 */
public abstract class LogHygieneContract extends HttpContract {
    private static final List<String> RAISED_LOGGERS = List.of("dev.callchat", "callchat");
    /** The local mode's token secret in {@link HttpContract}. */
    private static final String LOCAL_SECRET = "contract-suite-local-secret-0123456789";
    private static final SecretScan SCAN = new SecretScan(List.of(FakeTwilio.API_KEY_SECRET, LOCAL_SECRET,
            Base64.getEncoder().encodeToString((FakeTwilio.API_KEY_SID + ":" + FakeTwilio.API_KEY_SECRET)
                    .getBytes(StandardCharsets.UTF_8))));

    private static final ListAppender<ILoggingEvent> EVENTS = new ListAppender<>();
    private static final ByteArrayOutputStream PRINTED = new ByteArrayOutputStream();
    private static final Map<String, Level> PREVIOUS_LEVELS = new java.util.HashMap<>();
    private static PrintStream out;
    private static PrintStream err;

    @BeforeAll
    static void captureEverything() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        EVENTS.setContext(context);
        EVENTS.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(EVENTS);
        for (String name : RAISED_LOGGERS) {
            Logger logger = context.getLogger(name);
            PREVIOUS_LEVELS.put(name, logger.getLevel());
            logger.setLevel(Level.TRACE);
        }
        out = System.out;
        err = System.err;
        System.setOut(new PrintStream(new Tee(out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err), true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void noSecretWasLogged() {
        System.setOut(out);
        System.setErr(err);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(EVENTS);
        PREVIOUS_LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        EVENTS.stop();

        List<ILoggingEvent> events;
        synchronized (EVENTS) {
            events = new ArrayList<>(EVENTS.list);
        }
        Map<String, Integer> byLevel = new TreeMap<>();
        List<String> leaks = new ArrayList<>();
        for (ILoggingEvent event : events) {
            byLevel.merge(event.getLevel().toString(), 1, Integer::sum);
            List<String> found = new ArrayList<>(SCAN.leaks(event.getFormattedMessage()));
            if (event.getArgumentArray() != null) {
                for (Object argument : event.getArgumentArray()) {
                    found.addAll(SCAN.leaks(String.valueOf(argument)));
                }
            }
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                found.addAll(SCAN.leaks(t.getMessage()));
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                    found.addAll(SCAN.leaks(frame.getSTEAsString()));
                }
            }
            if (!found.isEmpty()) {
                leaks.add(found + " in a " + event.getLevel() + " event of " + event.getLoggerName());
            }
        }
        String printed;
        synchronized (PRINTED) {
            printed = PRINTED.toString(StandardCharsets.UTF_8);
        }
        List<String> printedLeaks = new ArrayList<>();
        printed.lines().forEach(line -> SCAN.leaks(line).forEach(l -> printedLeaks.add(l + " in a printed line")));
        System.out.printf("[reliability] log hygiene over the contract suite: %d events %s, %d printed bytes, leaks: %d%n",
                events.size(), byLevel, printed.length(), leaks.size() + printedLeaks.size());

        assertThat(events).as("the suite logged something to scan").isNotEmpty();
        assertThat(leaks).isEmpty();
        assertThat(printedLeaks).isEmpty();
    }

    /** Passes bytes on and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream target;

        Tee(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            synchronized (PRINTED) {
                PRINTED.write(b);
            }
            try {
                target.write(b);
            } catch (java.io.IOException ignored) {
                // the copy is what matters
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (PRINTED) {
                PRINTED.write(b, off, len);
            }
            try {
                target.write(b, off, len);
            } catch (java.io.IOException ignored) {
                // the copy is what matters
            }
        }

        @Override
        public void flush() {
            try {
                target.flush();
            } catch (java.io.IOException ignored) {
                // nothing to do
            }
        }
    }
}
