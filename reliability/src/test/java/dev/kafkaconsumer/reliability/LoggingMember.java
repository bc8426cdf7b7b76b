package dev.kafkaconsumer.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.kafkaconsumer.core.ConsumerContainer;

/**
 * A {@link LoggingConsumer} container running in the test's own JVM, with its own event log
 * {@code <dir>/<name>.events}: a group member for scenarios where nothing kills the consumer itself.
 * The test owns it: {@link #close()} stops the container and closes the log.
 */
final class LoggingMember implements AutoCloseable {

    private final ConsumerContainer<String, String> container;
    private final EventLog events;
    private final Path log;
    private boolean closed;

    private LoggingMember(ConsumerContainer<String, String> container, EventLog events, Path log) {
        this.container = container;
        this.events = events;
        this.log = log;
    }

    /**
     * Builds and starts a member.
     *
     * @param dir        where the log goes
     * @param name       the member's name, unique in {@code dir}
     * @param client     client properties that reach the cluster ({@code bootstrap.servers}, security settings)
     * @param topic      the topic
     * @param group      the group id
     * @param protocol   {@code classic} or {@code consumer}
     * @param properties further consumer properties
     * @return the started member
     * @throws IOException if the log cannot be opened
     */
    static LoggingMember start(Path dir, String name, Map<String, Object> client, String topic, String group,
            String protocol, Map<String, String> properties) throws IOException {
        Path log = dir.resolve(name + ".events");
        EventLog events = EventLog.open(log);
        ConsumerContainer.Builder<String, String> builder = LoggingConsumer.builder(name,
                String.valueOf(client.get("bootstrap.servers")), topic, group, protocol, events);
        builder.property("max.poll.records", "100");
        client.forEach((key, value) -> builder.property(key, String.valueOf(value)));
        properties.forEach(builder::property);
        ConsumerContainer<String, String> container = builder.build();
        container.start();
        return new LoggingMember(container, events, log);
    }

    /** The member's event log. */
    Path log() {
        return log;
    }

    /** The container, to read its snapshot or stop it with a timeout of the test's choosing. */
    ConsumerContainer<String, String> container() {
        return container;
    }

    /** Stops the member, as {@link #stop()} does. */
    @Override
    public void close() {
        stop();
    }

    /** Stops the container gracefully, then closes the log; idempotent. */
    synchronized void stop() {
        if (!closed) {
            closed = true;
            container.stop(Duration.ofSeconds(10));
            events.close();
        }
    }
}
