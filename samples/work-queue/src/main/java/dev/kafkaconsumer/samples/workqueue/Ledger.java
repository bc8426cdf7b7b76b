package dev.kafkaconsumer.samples.workqueue;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * What the workers did, counted by the jobs' unique sequence numbers: jobs done by each worker, jobs done on a
 * redelivery, and jobs done twice, which a share group must never cause while every handler acknowledges in time.
 */
@Component
final class Ledger {

    private static final Logger log = LoggerFactory.getLogger(Ledger.class);

    private final Map<String, LongAdder> doneBy = new ConcurrentHashMap<>();

    private final Set<Long> done = ConcurrentHashMap.newKeySet();

    private final LongAdder doneTwice = new LongAdder();

    private final LongAdder redelivered = new LongAdder();

    private final LongAdder failures = new LongAdder();

    private final AtomicBoolean firstRedelivery = new AtomicBoolean();

    private final int maxDeliveries;

    Ledger(Environment environment) {
        this.maxDeliveries = environment.getRequiredProperty("kafka.consumer.max-deliveries", Integer.class);
    }

    void done(String worker, Job job, int delivery) {
        doneBy.computeIfAbsent(worker, key -> new LongAdder()).increment();
        if (!done.add(job.sequence())) {
            doneTwice.increment();
            log.warn("Job {} was done twice", job);
        }
        if (delivery > 1) {
            redelivered.increment();
            if (firstRedelivery.compareAndSet(false, true)) {
                log.info("Job {} done by {} on delivery {}: its first delivery failed and the group handed it out again",
                        job, worker, delivery);
            }
        }
    }

    void failed(String worker, Job job, int delivery) {
        failures.increment();
        if (delivery >= maxDeliveries) {
            log.info("Job {} failed on {} on its last delivery ({} of {}): dead-lettered to {}.DLT and rejected", job,
                    worker, delivery, maxDeliveries, JobProducer.TOPIC);
        }
    }

    /** Jobs done, by worker, in worker order. */
    Map<String, Long> doneByWorker() {
        Map<String, Long> counts = new TreeMap<>();
        doneBy.forEach((worker, count) -> counts.put(worker, count.sum()));
        return counts;
    }

    /** Distinct jobs done. */
    long distinctDone() {
        return done.size();
    }

    /** Jobs done more than once. */
    long doneTwice() {
        return doneTwice.sum();
    }

    /** Jobs done on a second or later delivery. */
    long redelivered() {
        return redelivered.sum();
    }

    /** Handler calls that failed. */
    long failures() {
        return failures.sum();
    }
}
