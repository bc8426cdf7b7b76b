package dev.kafkaconsumer.core.internal.container;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when a group member's consumer has had no response from any broker for longer than it waits for one
 * ({@code request.timeout.ms}): the network between it and the brokers is cut (a partition, a firewall dropping
 * packets) or every broker hangs. Kafka's consumer says nothing then: a blackholed connection is neither refused nor
 * closed, its poll returns nothing, as for a topic without traffic, and the group takes the member's partitions away
 * after the session timeout without the member hearing of it; the container stays RUNNING and looks idle. This is
 * what makes its snapshot carry an error meanwhile, {@code no response from the brokers for N s}, so that its health
 * is DOWN during the cut, and clears it at the first response after.
 *
 * <p>How: the consumer's {@code response-total} (group {@code consumer-metrics}: responses received over all its
 * connections) is read by the dispatcher's take loop at most every {@link #TICK_NANOS} (it goes round at least
 * every 100 ms, and unlike the timer it does not wait for a synchronous commit, which during a cut waits for the
 * brokers) and by each snapshot; the silence is the time since it was first seen to have moved, so it is late by at
 * most the time between two reads. Only a member of a group is judged: it heartbeats at least every heartbeat interval (the classic
 * default 3 s, the consumer protocol's at most 15 s), so a healthy one never goes {@code request.timeout.ms} (30 s by
 * default) without a response, even with every partition paused or none assigned. A container that assigns itself
 * partitions has no heartbeat: it fetches nothing while its buffers are full or its partitions paused, and silence
 * would be no sign of a cut there, so it is not judged.
 *
 * <p>Threads: the timer and the snapshots' callers sample; the state is guarded by this object's monitor. The WARN
 * when a silence passes the limit and the INFO when it ends are logged once each.
 */
final class BrokerSilence {

    private static final Logger log = LoggerFactory.getLogger(BrokerSilence.class);
    static final String GROUP = "consumer-metrics";
    static final String RESPONSES = "response-total";
    /** How often {@link #tick()} reads the count. */
    static final long TICK_NANOS = 250_000_000L;

    private final String container;
    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    private final LongSupplier nanoTime;
    private final long limitNanos;
    private Metric responses;
    private double lastValue = Double.NaN;
    private long lastChange;
    private boolean reported;
    private volatile long lastSample;

    /**
     * @param container the container's name, for the log
     * @param metrics   the consumer's metrics
     * @param limit     how long a silence lasts before it is reported: the consumer's {@code request.timeout.ms}
     * @param nanoTime  the clock
     */
    BrokerSilence(String container, Supplier<Map<MetricName, ? extends Metric>> metrics, Duration limit, LongSupplier nanoTime) {
        this.container = container;
        this.metrics = metrics;
        this.limitNanos = limit.toNanos();
        this.nanoTime = nanoTime;
        this.lastChange = nanoTime.getAsLong();
        this.lastSample = lastChange - TICK_NANOS;
    }

    /** Reads the count of responses unless it was read less than {@link #TICK_NANOS} ago: for a loop that goes round often. */
    void tick() {
        if (nanoTime.getAsLong() - lastSample >= TICK_NANOS) {
            sample();
        }
    }

    /** Reads the count of responses; the silence starts again whenever it moved. */
    synchronized void sample() {
        long now = nanoTime.getAsLong();
        lastSample = now;
        double value = responses();
        if (Double.compare(value, lastValue) != 0) {
            lastValue = value;
            lastChange = now;
            if (reported) {
                reported = false;
                log.info("Container {}: the brokers answer again", container);
            }
        } else if (!reported && now - lastChange > limitNanos) {
            reported = true;
            log.warn("Container {}: {}; its partitions may have been given to other members meanwhile, and it rejoins "
                    + "when the brokers answer again", container, describe(now));
        }
    }

    /**
     * Samples, and says how long the brokers have been silent when it is longer than the limit.
     *
     * @return {@code no response from the brokers for N s (request.timeout.ms M ms)}, or {@code null}
     */
    synchronized String silence() {
        sample();
        long now = nanoTime.getAsLong();
        return now - lastChange > limitNanos ? describe(now) : null;
    }

    private String describe(long now) {
        return String.format("no response from the brokers for %d s (request.timeout.ms %d ms)",
                Duration.ofNanos(now - lastChange).toSeconds(), Duration.ofNanos(limitNanos).toMillis());
    }

    private double responses() {
        try {
            return read();
        } catch (RuntimeException e) {
            return lastValue; // the consumer closes: nothing to judge any more
        }
    }

    private double read() {
        if (responses == null) {
            // registered when the consumer opens its network client: under the consumer protocol, on its own thread
            for (Map.Entry<MetricName, ? extends Metric> metric : metrics.get().entrySet()) {
                if (metric.getKey().name().equals(RESPONSES) && metric.getKey().group().equals(GROUP)) {
                    responses = metric.getValue();
                    break;
                }
            }
            if (responses == null) {
                return lastValue;
            }
        }
        return responses.metricValue() instanceof Number number ? number.doubleValue() : lastValue;
    }
}
