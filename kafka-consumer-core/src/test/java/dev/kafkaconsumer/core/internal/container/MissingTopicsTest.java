package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** The warning for subscribed topics that do not exist, and its rechecks, run turn by turn; no broker. */
class MissingTopicsTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(MissingTopics.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final AtomicReference<Set<String>> existing = new AtomicReference<>(Set.of("orders"));
    private final Timers timers = new Timers();

    /** Notes what is scheduled instead of running it, so that each check runs when the test says. */
    private static final class Timers extends ScheduledThreadPoolExecutor {

        final List<String> scheduled = new ArrayList<>();

        Timers() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (isShutdown()) {
                return super.schedule(command, delay, unit); // rejects, as a stopped container's timer does
            }
            scheduled.add(delay + " " + unit);
            return null;
        }
    }

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
        timers.shutdownNow();
    }

    private List<String> messages(Level level) {
        return logged.list.stream().filter(event -> event.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void missingTopicsAreReportedOnceAndCheckedAgainUntilTheyExist() {
        MissingTopics check = new MissingTopics("c", Set.of("orders", "payments", "audit"), existing::get, true, timers);

        check.run();
        check.run();

        assertThat(messages(Level.WARN)).containsExactly("Container c: subscribed topic(s) [audit, payments] do not exist "
                + "(the broker creates a topic for a consumer only with auto.create.topics.enable=true); none of their "
                + "partitions is assigned until they are created, and the container keeps waiting for them");
        assertThat(timers.scheduled).containsExactly("10 SECONDS", "10 SECONDS");

        existing.set(Set.of("orders", "payments", "audit"));
        check.run();

        assertThat(messages(Level.INFO)).containsExactly("Container c: topic(s) [audit, payments] exist now");
        assertThat(timers.scheduled).as("no more checks").hasSize(2);
    }

    @Test
    void aChangeInWhatIsMissingIsReportedAgain() {
        MissingTopics check = new MissingTopics("c", Set.of("orders", "payments"), existing::get, false, timers);

        existing.set(Set.of());
        check.run();
        existing.set(Set.of("orders"));
        check.run();

        assertThat(messages(Level.WARN)).hasSize(2).allMatch(message -> message.contains(
                "allow.auto.create.topics=false keeps the consumer from having them created"));
        assertThat(messages(Level.WARN).get(1)).contains("[payments]");
    }

    @Test
    void topicsThatAllExistAreNotMentioned() {
        new MissingTopics("c", Set.of("orders"), existing::get, true, timers).run();

        assertThat(logged.list).isEmpty();
        assertThat(timers.scheduled).isEmpty();
    }

    @Test
    void aClusterThatCannotBeAskedIsAskedAgainLater() {
        MissingTopics check = new MissingTopics("c", Set.of("orders"), () -> {
            throw new IllegalStateException("unreachable");
        }, true, timers);

        check.run();

        assertThat(messages(Level.WARN)).isEmpty();
        assertThat(timers.scheduled).containsExactly("10 SECONDS");
    }

    @Test
    void aStoppedContainerChecksNoMore() {
        timers.shutdownNow();
        MissingTopics check = new MissingTopics("c", Set.of("nope"), existing::get, true, timers);

        check.run();

        assertThat(messages(Level.WARN)).hasSize(1);
        assertThat(timers.scheduled).isEmpty();
    }
}
