package dev.kafkaconsumer.samples.quickstart;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The quickstart: a stream of orders, keyed by customer, consumed by a {@code @RecordHandler} with KEY
 * ordering and more workers than partitions, on the cluster that {@code kafka.consumer.bootstrap-servers}
 * names. For development, {@code TestQuickstartApplication} (in {@code src/test}) runs the same application
 * on an in-process broker, as Spring Boot runs development-time services.
 */
@SpringBootApplication
public class QuickstartApplication {

    /**
     * Starts the application; Ctrl-C stops it, draining and committing what was handled.
     *
     * @param args Spring Boot arguments, for example {@code --kafka.consumer.bootstrap-servers=host:9092}
     */
    public static void main(String[] args) {
        SpringApplication.run(QuickstartApplication.class, args);
    }
}
