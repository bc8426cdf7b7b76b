package dev.kafkaconsumer.spring.actuate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The scheduler shared by the kafka-clients meters of every container, without a broker: what a lease's
 * shutdown ends and what it leaves running.
 */
class ClientMetricsSchedulerTests {

    private final ClientMetricsScheduler scheduler = ClientMetricsScheduler.create();

    @AfterEach
    void close() {
        this.scheduler.close();
    }

    @Test
    void aLeaseShutdownCancelsItsOwnTasksAndLeavesTheOthersRunning() {
        ClientMetricsScheduler.Lease first = this.scheduler.lease();
        ClientMetricsScheduler.Lease second = this.scheduler.lease();
        AtomicInteger firstRuns = new AtomicInteger();
        AtomicInteger secondRuns = new AtomicInteger();
        first.scheduleAtFixedRate(firstRuns::incrementAndGet, 0, 5, TimeUnit.MILLISECONDS);
        second.scheduleAtFixedRate(secondRuns::incrementAndGet, 0, 5, TimeUnit.MILLISECONDS);
        await().until(() -> firstRuns.get() > 0 && secondRuns.get() > 0);

        first.shutdown();
        int runsAtShutdown = firstRuns.get();
        int secondAtShutdown = secondRuns.get();
        // the other lease's task runs on the same thread: five of its runs later, the cancelled one would have run too
        await().until(() -> secondRuns.get() >= secondAtShutdown + 5);

        assertThat(firstRuns.get()).isEqualTo(runsAtShutdown);
        assertThat(first.isShutdown()).isTrue();
        assertThat(second.isShutdown()).isFalse();
        assertThatExceptionOfType(RejectedExecutionException.class)
            .isThrownBy(() -> first.schedule(firstRuns::incrementAndGet, 0, TimeUnit.MILLISECONDS));
    }

    @Test
    void closedClientMetricsStayClosedWhenTheClientsMetricsChange() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Metrics kafka = new Metrics()) {
            kafka.addMetric(kafka.metricName("records-consumed-total", "consumer-fetch-manager-metrics"),
                    (config, now) -> 42.0);
            ClientMetricsScheduler.Lease lease = this.scheduler.lease();
            KafkaClientMetrics metrics = new KafkaClientMetrics(MetricsOnlyConsumer.of(kafka::metrics),
                    Tags.of("container", "orders"), lease, Duration.ofMillis(5));
            metrics.bindTo(registry);
            assertThat(registry.find("kafka.consumer.fetch.manager.records.consumed.total").meters()).hasSize(1);

            lease.shutdown();
            metrics.close();
            assertThat(registry.find("kafka.consumer.fetch.manager.records.consumed.total").meters()).isEmpty();

            // a refresh would now bind every metric again, the old ones with the new
            kafka.addMetric(kafka.metricName("records-lag-max", "consumer-fetch-manager-metrics"), (config, now) -> 7.0);
            AtomicInteger ticks = new AtomicInteger();
            this.scheduler.lease().scheduleAtFixedRate(ticks::incrementAndGet, 0, 5, TimeUnit.MILLISECONDS);
            await().until(() -> ticks.get() >= 10);
            assertThat(registry.find("kafka.consumer.fetch.manager.records.consumed.total").meters()).isEmpty();
            assertThat(registry.find("kafka.consumer.fetch.manager.records.lag.max").meters()).isEmpty();
        }
    }

    @Test
    void aSchedulerOfItsOwnRunsOnOneNamedDaemonThreadThatCloseEnds() throws Exception {
        Thread thread = this.scheduler.lease().schedule(Thread::currentThread, 0, TimeUnit.MILLISECONDS).get();
        assertThat(thread.getName()).isEqualTo("kafka-consumer-client-metrics");
        assertThat(thread.isDaemon()).isTrue();
        this.scheduler.close();
        await().until(() -> !thread.isAlive());
    }

    @Test
    void aCallersSchedulerOutlivesTheClose() {
        ScheduledExecutorService callers = Executors.newSingleThreadScheduledExecutor();
        try {
            ClientMetricsScheduler.over(callers).close();
            assertThat(callers.isShutdown()).isFalse();
        }
        finally {
            callers.shutdownNow();
        }
    }

}
