package dev.kafkaconsumer.samples.quickstart;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerLifecycle;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Creates the {@code orders} topic if it is absent and writes a steady stream of orders to it, keyed by
 * customer, from one named thread. It starts before the containers (so that they find the topic) and
 * stops after them.
 */
@Component
final class OrderProducer implements SmartLifecycle {

    static final String TOPIC = "orders";

    static final String BOOTSTRAP_SERVERS = "kafka.consumer.bootstrap-servers";

    private static final Logger log = LoggerFactory.getLogger(OrderProducer.class);

    private static final int PARTITIONS = 6;

    private static final long TICK_MILLIS = 10;

    private final String bootstrapServers;

    private final int customers;

    private final int perTick;

    private ScheduledExecutorService scheduler;

    private KafkaProducer<String, String> producer;

    private long sequence;

    OrderProducer(Environment environment) {
        this.bootstrapServers = environment.getProperty(BOOTSTRAP_SERVERS,
                environment.getProperty("spring.kafka.bootstrap-servers", ""));
        this.customers = environment.getProperty("quickstart.customers", Integer.class, 200);
        int rate = environment.getProperty("quickstart.records-per-second", Integer.class, 500);
        this.perTick = Math.max(1, (int) (rate * TICK_MILLIS / 1000));
    }

    @Override
    public synchronized void start() {
        createTopic();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // a tick blocked on an unreachable cluster must not hold the shutdown for the default minute
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000), new StringSerializer(), new StringSerializer());
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "quickstart-order-producer");
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> log.error("Uncaught exception on {}", t.getName(), e));
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::produceQuietly, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        log.info("Producing {} orders/s for {} customers to {}", perTick * 1000 / TICK_MILLIS, customers, TOPIC);
    }

    private void createTopic() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            // the cluster's default replication factor, so that the same code works on one broker or many
            admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(PARTITIONS), Optional.empty()))).all().get();
            log.info("Created topic {} with {} partitions", TOPIC, PARTITIONS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + TOPIC + " on " + bootstrapServers
                        + "; check kafka.consumer.bootstrap-servers, or create the topic yourself", e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + TOPIC, e);
        }
    }

    /** One tick; a failure is logged and the next tick tries again, so the stream never dies silently. */
    private void produceQuietly() {
        try {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < perTick; i++) {
                String customer = String.format("customer-%03d", random.nextInt(customers));
                String order = String.format("{\"order\":%d,\"customer\":\"%s\",\"amount\":%d.%02d}",
                        ++sequence, customer, random.nextInt(1, 500), random.nextInt(100));
                producer.send(new ProducerRecord<>(TOPIC, customer, order));
            }
        } catch (RuntimeException e) {
            log.warn("Could not send orders: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        log.info("Stopped producing after {} orders", sequence);
        scheduler = null;
        producer = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        // below the containers' phase: starts before them, stops after them
        return ConsumerContainerLifecycle.PHASE - 1;
    }
}
