package dev.kafkaconsumer.spring.autoconfigure.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

import dev.kafkaconsumer.spring.Offset;
import dev.kafkaconsumer.spring.RecordHandler;

/**
 * A worker, the commonest shape of a consumer service: one {@code @RecordHandler} and no web server, and a
 * {@code main} that returns once the application has started. {@link WorkerApplicationTests} runs it in a
 * JVM of its own; it prints a line for every record handled.
 */
@SpringBootApplication
public class WorkerApplication {

    /** The start of the line printed for every record handled. */
    static final String HANDLED = "handled offset ";

    /**
     * Starts the worker and returns.
     *
     * @param args Spring Boot arguments, such as {@code --kafka.consumer.bootstrap-servers=...}
     */
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(WorkerApplication.class);
        // the test class path holds a web server; a worker has none
        application.setWebApplicationType(WebApplicationType.NONE);
        application.run(args);
    }

    @Component
    static class Handler {

        @RecordHandler(id = "worker", topics = "${worker.topic}")
        void handle(String value, @Offset long offset) {
            System.out.println(HANDLED + offset + " on " + Thread.currentThread());
        }

    }

}
