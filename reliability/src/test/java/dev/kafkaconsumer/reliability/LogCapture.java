package dev.kafkaconsumer.reliability;

import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;

/** Collects what one logger writes while it is open, so that a scenario can assert what was reported. */
final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts collecting what the logger named after {@code type} writes. */
    static LogCapture of(Class<?> type) {
        return new LogCapture((Logger) LoggerFactory.getLogger(type));
    }

    /** Starts collecting what the named logger writes. */
    static LogCapture of(String name) {
        return new LogCapture((Logger) LoggerFactory.getLogger(name));
    }

    /** The messages logged at {@code level} so far, each followed by its exception's class and message, if any. */
    List<String> messages(Level level) {
        synchronized (appender) { // AppenderBase.doAppend holds this lock while it adds
            return appender.list.stream().filter(event -> event.getLevel() == level).map(LogCapture::text).toList();
        }
    }

    private static String text(ILoggingEvent event) {
        IThrowableProxy thrown = event.getThrowableProxy();
        return event.getFormattedMessage() + (thrown == null ? "" : " | " + thrown.getClassName() + ": " + thrown.getMessage());
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
