package dev.kafkaconsumer.samples.workqueue;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import dev.kafkaconsumer.spring.DeliveryCount;
import dev.kafkaconsumer.spring.RecordHandler;
import org.springframework.stereotype.Component;

/**
 * Three share handlers of one share group on the one-partition topic {@code jobs}: each is a share container of its
 * own, and the broker hands each record of the partition to one of them. A handler that returns accepts its job; one
 * that throws releases it for another delivery (to any of the three), until {@code max-deliveries} (3, in
 * {@code application.yml}), when the job goes to the dead-letter topic {@code jobs.DLT} and is rejected.
 */
@Component
final class Workers {

    static final String GROUP = "${work-queue.share-group}";

    private final Ledger ledger;

    Workers(Ledger ledger) {
        this.ledger = ledger;
    }

    @RecordHandler(id = "worker-1", topics = JobProducer.TOPIC, shareGroup = GROUP)
    void first(String job, @DeliveryCount int delivery) {
        work("worker-1", Job.parse(job), delivery);
    }

    @RecordHandler(id = "worker-2", topics = JobProducer.TOPIC, shareGroup = GROUP)
    void second(String job, @DeliveryCount int delivery) {
        work("worker-2", Job.parse(job), delivery);
    }

    @RecordHandler(id = "worker-3", topics = JobProducer.TOPIC, shareGroup = GROUP)
    void third(String job, @DeliveryCount int delivery) {
        work("worker-3", Job.parse(job), delivery);
    }

    private void work(String worker, Job job, int delivery) {
        // the work: a call to another service, say
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(2_000_000, 6_000_000));
        if (job.kind().equals("poison") || (job.kind().equals("flaky") && delivery == 1)) {
            ledger.failed(worker, job, delivery);
            throw new IllegalStateException("job " + job + " failed on delivery " + delivery);
        }
        ledger.done(worker, job, delivery);
    }
}
