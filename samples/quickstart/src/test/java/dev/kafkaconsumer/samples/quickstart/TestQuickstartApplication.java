package dev.kafkaconsumer.samples.quickstart;

import org.springframework.boot.SpringApplication;

/**
 * Runs the quickstart for development, on an in-process Kafka broker ({@link DevelopmentBroker}), the way
 * Spring Boot runs an application with its development-time services: the same {@code main}, plus a test
 * configuration. It lives in {@code src/test}, so the broker never ships with the application.
 *
 * <p>The README's first command runs it: {@code mvn -B -q -pl samples/quickstart -am test-compile exec:java}.
 */
public final class TestQuickstartApplication {

    private TestQuickstartApplication() {
    }

    /**
     * Starts the quickstart, on an in-process broker unless bootstrap servers are set.
     *
     * @param args Spring Boot arguments, for example {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.from(QuickstartApplication::main).with(DevelopmentBroker.class).run(args);
    }
}
