package dev.kafkaconsumer.samples.workqueue;

import org.springframework.boot.SpringApplication;

/**
 * Runs the work queue for development, on an in-process Kafka broker ({@link DevelopmentBroker}) with share groups
 * enabled, the way Spring Boot runs an application with its development-time services: the same {@code main}, plus
 * a test configuration. It lives in {@code src/test}, so the broker never ships with the application.
 *
 * <p>The README's command runs it: {@code mvn -B -q -pl samples/work-queue -am test-compile exec:java}.
 */
public final class TestWorkQueueApplication {

    private TestWorkQueueApplication() {
    }

    /**
     * Starts the work queue, on an in-process broker unless bootstrap servers are set.
     *
     * @param args Spring Boot arguments, for example {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.from(WorkQueueApplication::main).with(DevelopmentBroker.class).run(args);
    }
}
