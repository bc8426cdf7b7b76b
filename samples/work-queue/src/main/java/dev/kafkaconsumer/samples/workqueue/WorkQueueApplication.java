package dev.kafkaconsumer.samples.workqueue;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The work queue: a stream of jobs on a topic of one partition, worked off by three share handlers of one share
 * group (Kafka's queues, KIP-932), on the cluster that {@code kafka.consumer.bootstrap-servers} names. For
 * development, {@code TestWorkQueueApplication} (in {@code src/test}) runs the same application on an in-process
 * broker, as Spring Boot runs development-time services.
 */
@SpringBootApplication
public class WorkQueueApplication {

    /**
     * Starts the application; Ctrl-C stops it, finishing the jobs being handled and releasing the others.
     *
     * @param args Spring Boot arguments, for example {@code --kafka.consumer.bootstrap-servers=host:9092}
     */
    public static void main(String[] args) {
        SpringApplication.run(WorkQueueApplication.class, args);
    }
}
