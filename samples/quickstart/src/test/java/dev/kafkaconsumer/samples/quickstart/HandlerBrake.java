package dev.kafkaconsumer.samples.quickstart;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.kafkaconsumer.core.ConsumerContainer;
import dev.kafkaconsumer.core.HandlerInterceptor;
import dev.kafkaconsumer.spring.autoconfigure.ContainerCustomizer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A fault injector around the quickstart's real handler, for {@link QuickstartPrometheusLiveTests}: it slows every
 * call, holds every call until released, or fails chosen records on every attempt, so that they are retried and
 * dead-lettered. It is an interceptor on the {@code orders} container, so the meters Prometheus scrapes are those of
 * the real container running the real {@link OrderHandler}; only the handler's pace is the test's.
 *
 * <p>It carries no annotation, so component scanning never finds it (it is in {@code src/test}, which
 * {@link TestQuickstartApplication} runs on): a test adds it with
 * {@code SpringApplication.from(QuickstartApplication::main).with(HandlerBrake.class)}.
 */
final class HandlerBrake implements HandlerInterceptor, ContainerCustomizer {

    private final Set<String> poisoned = ConcurrentHashMap.newKeySet();

    private final AtomicInteger poisonLeft = new AtomicInteger();

    private volatile long delayNanos;

    private volatile CountDownLatch hold = new CountDownLatch(0);

    @Override
    public void customize(String id, ConsumerContainer.Builder<?, ?> builder) {
        builder.interceptor(this);
    }

    /**
     * Makes every call from now on take {@code perCall} longer.
     *
     * @param perCall the added time
     */
    void slow(Duration perCall) {
        this.delayNanos = perCall.toNanos();
    }

    /** Holds every call from now on, before the handler, until {@link #release()}. */
    void hold() {
        this.hold = new CountDownLatch(1);
    }

    /** Lets held calls go on, and ends the slowing down. */
    void release() {
        this.delayNanos = 0;
        this.hold.countDown();
    }

    /**
     * Makes the next {@code records} records fail on every attempt.
     *
     * @param records how many
     */
    void poison(int records) {
        this.poisonLeft.addAndGet(records);
    }

    @Override
    public CompletionStage<?> intercept(String container, List<? extends ConsumerRecord<?, ?>> records,
            Invocation invocation) throws Exception {
        for (ConsumerRecord<?, ?> record : records) {
            String id = record.topic() + "-" + record.partition() + "@" + record.offset();
            if (this.poisoned.contains(id)
                    || (this.poisonLeft.getAndUpdate((left) -> Math.max(0, left - 1)) > 0 && this.poisoned.add(id))) {
                throw new IllegalStateException("Record " + id + " poisoned by the test's HandlerBrake");
            }
        }
        this.hold.await();
        long delay = this.delayNanos;
        if (delay > 0) {
            LockSupport.parkNanos(delay);
        }
        return invocation.proceed();
    }
}
