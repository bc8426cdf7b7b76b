package dev.kafkaconsumer.reliability.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import dev.kafkaconsumer.reliability.EventLog;
import dev.kafkaconsumer.reliability.EventLogListener;
import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.autoconfigure.ContainerCustomizer;

/**
 * R21's consumer process: a Spring Boot worker as a user writes one, a {@code @RecordHandler} (KEY ordering) and no web
 * server, whose handler and container listener write the same {@link EventLog} that a
 * {@link dev.kafkaconsumer.reliability.LoggingConsumer} writes, so that the {@link dev.kafkaconsumer.reliability.Checker}
 * judges it alike. Nothing here stops the container: SIGTERM ends the JVM the way a deployment ends it, through Spring
 * Boot's shutdown hook, which closes the context and so stops the container bean in its lifecycle phase.
 *
 * <p>Arguments are Spring Boot's: {@code kafka.consumer.*} as for any application (bootstrap servers, group, the
 * consumer properties), and {@code reliability.topic}, {@code reliability.log} (the event log's file),
 * {@code reliability.handler-delay-us} (simulated work per record, 0 by default), {@code reliability.concurrency}
 * (4 by default) and {@code reliability.ordering} ({@code KEY} by default; R13 runs one in its own JVM with
 * {@code PARTITION}, for its health).
 */
@SpringBootApplication(proxyBeanMethods = false)
public final class SpringWorker {

    /** The container's id, as its log lines name it ({@code Container worker stopped}). */
    public static final String CONTAINER = "worker";

    /**
     * Runs the worker until the JVM is told to end.
     *
     * @param args Spring Boot arguments, such as {@code --kafka.consumer.bootstrap-servers=...}
     */
    public static void main(String[] args) {
        SpringApplication.run(SpringWorker.class, args);
    }

    /** Closed when the context is destroyed, after the lifecycle phases: after the container's final commit. */
    @Bean(destroyMethod = "close")
    EventLog eventLog(@Value("${reliability.log}") Path file) throws IOException {
        return EventLog.open(file);
    }

    /** Commits, assignments and revocations go to the event log, as {@code LoggingConsumer}'s do. */
    @Bean
    ContainerCustomizer eventLogListener(EventLog log) {
        return (id, builder) -> builder.listener(new EventLogListener(log));
    }

    @Bean
    Handler handler(EventLog log, @Value("${reliability.handler-delay-us:0}") long delayMicros) {
        return new Handler(log, TimeUnit.MICROSECONDS.toNanos(delayMicros));
    }

    /** The handler: simulated work, then the record is logged as processed. */
    static final class Handler {

        private final EventLog log;

        private final long delayNanos;

        Handler(EventLog log, long delayNanos) {
            this.log = log;
            this.delayNanos = delayNanos;
        }

        @RecordHandler(id = CONTAINER, topics = "${reliability.topic}", ordering = "${reliability.ordering:KEY}",
                concurrency = "${reliability.concurrency:4}")
        void handle(ConsumerRecord<String, String> record) {
            if (this.delayNanos > 0) {
                LockSupport.parkNanos(this.delayNanos); // so that a SIGTERM lands while records are being handled
            }
            this.log.processed(record.topic(), record.partition(), record.offset(), Long.parseLong(record.value()));
        }

    }

}
