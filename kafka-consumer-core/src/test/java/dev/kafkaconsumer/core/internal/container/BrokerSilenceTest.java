package dev.kafkaconsumer.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** The silence of the brokers, on a clock and a response count the test moves; no broker. */
class BrokerSilenceTest {

    private static final Duration LIMIT = Duration.ofSeconds(5);

    private final Logger logger = (Logger) LoggerFactory.getLogger(BrokerSilence.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong responses = new AtomicLong();
    private final Metric responseTotal = new Count(responses);
    private Map<MetricName, ? extends Metric> metrics = Map.of();
    private final BrokerSilence silence = new BrokerSilence("orders", () -> metrics, LIMIT, clock::get);

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
        metrics = Map.of(new MetricName(BrokerSilence.RESPONSES, BrokerSilence.GROUP, "", Map.of("client-id", "orders")),
                responseTotal, new MetricName(BrokerSilence.RESPONSES, "consumer-node-metrics", "", Map.of()), new Count(new AtomicLong(7)));
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
    }

    @Test
    void nothingIsReportedWhileTheBrokersAnswerWithinTheLimit() {
        for (int second = 1; second <= 20; second++) {
            advance(Duration.ofSeconds(1));
            if (second % 4 == 0) {
                responses.incrementAndGet();
            }
            silence.sample();
            assertThat(silence.silence()).as("second %d", second).isNull();
        }
        assertThat(logged.list).isEmpty();
    }

    @Test
    void aSilenceLongerThanTheLimitIsReportedOnceAndClearedByTheNextResponse() {
        responses.set(10);
        silence.sample();
        advance(Duration.ofSeconds(5));
        assertThat(silence.silence()).as("at the limit").isNull();
        advance(Duration.ofSeconds(2));
        silence.sample();
        assertThat(silence.silence()).isEqualTo("no response from the brokers for 7 s (request.timeout.ms 5000 ms)");
        advance(Duration.ofSeconds(3));
        silence.sample();
        assertThat(silence.silence()).startsWith("no response from the brokers for 10 s");

        responses.incrementAndGet();
        assertThat(silence.silence()).isNull();
        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(logged.list.get(0).getFormattedMessage()).contains("Container orders: no response from the brokers for 7 s");
        assertThat(logged.list.get(1).getFormattedMessage()).isEqualTo("Container orders: the brokers answer again");
    }

    @Test
    void aTickReadsTheCountAtMostEveryQuarterOfASecond() {
        silence.tick();
        responses.incrementAndGet();
        advance(Duration.ofMillis(200));
        silence.tick(); // too soon: the response is not seen yet
        advance(Duration.ofSeconds(5));
        assertThat(logged.list).isEmpty();
        silence.tick(); // sees it now, 5.2 s after the first read: the silence starts here
        advance(Duration.ofSeconds(5));
        silence.tick();
        assertThat(logged.list).isEmpty();
        advance(Duration.ofMillis(100));
        silence.tick(); // too soon after the last read
        assertThat(logged.list).isEmpty();
        advance(Duration.ofMillis(200));
        silence.tick();
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("Container orders: no response from the brokers for 5 s (request.timeout.ms 5000 ms); its "
                        + "partitions may have been given to other members meanwhile, and it rejoins when the brokers answer again");
    }

    @Test
    void aConsumerWithoutTheMetricYetIsSilentFromItsStart() {
        metrics = Map.of();
        silence.sample();
        advance(Duration.ofSeconds(6));
        assertThat(silence.silence()).startsWith("no response from the brokers for 6 s");
        metrics = Map.of(new MetricName(BrokerSilence.RESPONSES, BrokerSilence.GROUP, "", Map.of()), responseTotal);
        responses.set(1);
        assertThat(silence.silence()).isNull();
        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
    }

    private void advance(Duration by) {
        clock.addAndGet(by.toNanos());
    }

    /** A cumulative count, as kafka-clients' {@code response-total}. */
    private record Count(AtomicLong value) implements Metric {

        @Override
        public MetricName metricName() {
            return new MetricName(BrokerSilence.RESPONSES, BrokerSilence.GROUP, "", Map.of());
        }

        @Override
        public Object metricValue() {
            return (double) value.get();
        }
    }
}
