package dev.kafkaconsumer.samples.quickstart;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import dev.kafkaconsumer.spring.Key;
import dev.kafkaconsumer.spring.RecordHandler;
import org.springframework.stereotype.Component;

/**
 * Handles orders. Ordering ({@code key}) and concurrency (24, above the 6 partitions) come from
 * {@code application.yml}: orders of one customer run in order, different customers in parallel.
 */
@Component
final class OrderHandler {

    private final Progress progress;

    OrderHandler(Progress progress) {
        this.progress = progress;
    }

    @RecordHandler(id = "orders", topics = OrderProducer.TOPIC)
    void onOrder(@Key String customer, String order) {
        // a little I/O: a call to a payment service, say
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000, 3_000_000));
        progress.handled(customer);
    }
}
