package dev.kafkaconsumer.samples.workqueue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.kafkaconsumer.spring.autoconfigure.ShareConsumerContainerLifecycle;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Creates the topic {@code jobs} (one partition) and its dead-letter topic if they are absent, makes the share group
 * read from the earliest offset, and writes a steady stream of jobs, each with a unique sequence number, from one
 * named thread. It starts before the containers and stops after them.
 *
 * <p>A share group starts reading where its group config {@code share.auto.offset.reset} says: {@code latest} by
 * default, so that jobs written before the first worker joined would never be handed out. It is a setting of the
 * group on the broker, not of a consumer; this sample sets it to {@code earliest} with the admin client, as an
 * operator would with {@code kafka-configs.sh --entity-type groups --entity-name workers --alter --add-config
 * share.auto.offset.reset=earliest}.
 */
@Component
final class JobProducer implements SmartLifecycle {

    static final String TOPIC = "jobs";

    static final String BOOTSTRAP_SERVERS = "kafka.consumer.bootstrap-servers";

    private static final Logger log = LoggerFactory.getLogger(JobProducer.class);

    private static final long TICK_MILLIS = 10;

    private final String bootstrapServers;

    private final String shareGroup;

    private final int perTick;

    private ScheduledExecutorService scheduler;

    private KafkaProducer<String, String> producer;

    private long sequence;

    JobProducer(Environment environment) {
        this.bootstrapServers = environment.getProperty(BOOTSTRAP_SERVERS,
                environment.getProperty("spring.kafka.bootstrap-servers", ""));
        this.shareGroup = environment.getRequiredProperty("work-queue.share-group");
        int rate = environment.getProperty("work-queue.jobs-per-second", Integer.class, 100);
        this.perTick = Math.max(1, (int) (rate * TICK_MILLIS / 1000));
    }

    @Override
    public synchronized void start() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            createTopic(admin, TOPIC);
            createTopic(admin, TOPIC + ".DLT");
            readFromTheEarliestOffset(admin);
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // a tick blocked on an unreachable cluster must not hold the shutdown for the default minute
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000), new StringSerializer(), new StringSerializer());
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "work-queue-job-producer");
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> log.error("Uncaught exception on {}", t.getName(), e));
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::produceQuietly, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        log.info("Producing {} jobs/s to {} (one in {} flaky, one in {} poison)", perTick * 1000 / TICK_MILLIS, TOPIC,
                Job.FLAKY_EVERY, Job.POISON_EVERY);
    }

    private void createTopic(Admin admin, String name) {
        try {
            // the cluster's default replication factor, so that the same code works on one broker or many
            admin.createTopics(List.of(new NewTopic(name, Optional.of(1), Optional.empty()))).all().get();
            log.info("Created topic {} with 1 partition", name);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + name + " on " + bootstrapServers
                        + "; check kafka.consumer.bootstrap-servers, or create the topic yourself", e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        }
    }

    private void readFromTheEarliestOffset(Admin admin) {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, shareGroup);
        try {
            admin.incrementalAlterConfigs(Map.of(group, List.of(new AlterConfigOp(
                    new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET)))).all().get();
            log.info("Share group {} reads from the earliest offset (share.auto.offset.reset=earliest)", shareGroup);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not configure share group " + shareGroup + "; is the cluster on "
                    + "Kafka 4.2 or later, with share groups enabled?", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while configuring share group " + shareGroup, e);
        }
    }

    /** One tick; a failure is logged and the next tick tries again, so the stream never dies silently. */
    private void produceQuietly() {
        try {
            for (int i = 0; i < perTick; i++) {
                Job job = Job.of(++sequence);
                producer.send(new ProducerRecord<>(TOPIC, "job-" + job.sequence(), job.toString()));
            }
        } catch (RuntimeException e) {
            log.warn("Could not send jobs: {}", e.toString());
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
        log.info("Stopped producing after {} jobs", sequence);
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
        return ShareConsumerContainerLifecycle.PHASE - 1;
    }
}
