package dev.kafkaconsumer.spring.autoconfigure.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * A {@link WorkerApplication} in a JVM of its own, on the broker of this one: it must keep consuming after
 * its {@code main} returned, with no web server to keep it alive, and on SIGTERM stop its container
 * gracefully with a final commit of everything it handled. Its handlers run on virtual threads where the
 * runtime has them, the harder case: those are daemons.
 */
@ExtendWith(KafkaBrokerExtension.class)
class WorkerApplicationTests {

    /** A commit interval no test outlasts: whatever is committed, the final commit committed. */
    private static final String NO_COMMIT_BEFORE_STOP = "1h";

    private static final boolean VIRTUAL_THREADS = Runtime.version().feature() >= 21;

    /** How a handler's thread prints itself. */
    private static final String HANDLER_THREAD = VIRTUAL_THREADS ? " on VirtualThread["
            : " on Thread[kafka-consumer-worker-worker-";

    @TempDir
    Path dir;

    @Test
    void aWorkerWithoutAWebServerKeepsConsumingUntilSigtermThenStopsGracefullyWithItsFinalCommit(KafkaBroker kafka)
            throws Exception {
        String topic = "worker-" + UUID.randomUUID().toString().substring(0, 8);
        TopicPartition partition = new TopicPartition(topic, 0);
        kafka.createTopic(topic, 1);
        send(kafka, topic, 0, 5);
        Path output = this.dir.resolve("worker.out");
        Process worker = start(kafka, topic, output);
        try {
            within(Duration.ofSeconds(60), () -> handled(output) >= 5 || !worker.isAlive(),
                    "the worker handles the first records", output);
            assertThat(worker.isAlive()).as("the worker is alive; output:%n%s", read(output)).isTrue();
            try {
                await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(12)).until(worker::isAlive);
            }
            catch (ConditionTimeoutException ex) {
                throw new AssertionError("The worker did not stay alive for 10 s; output:\n" + read(output), ex);
            }
            send(kafka, topic, 5, 5);
            within(Duration.ofSeconds(30), () -> handled(output) >= 10, "the worker still consumes after 10 s",
                    output);
            assertThat(committed(kafka, topic)).as("committed before the stop").isEmpty();

            worker.destroy(); // SIGTERM
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("the worker ends within 30 s of SIGTERM").isTrue();
            String lines = read(output);
            assertThat(worker.exitValue()).as("exit status (143: ended by SIGTERM); output:%n%s", lines)
                .isEqualTo(143);
            assertThat(lines).containsPattern("Container worker stopped\\R").doesNotContain("unfinished");
            assertThat(handled(output)).isEqualTo(10);
            assertThat(lines).contains(HANDLER_THREAD);
            assertThat(committed(kafka, topic)).as("the final commit covers every record handled")
                .containsExactly(entry(partition, 10L));
        }
        finally {
            worker.destroyForcibly();
        }
    }

    private Process start(KafkaBroker kafka, String topic, Path output) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath, WorkerApplication.class.getName(),
                "--kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(), "--kafka.consumer.group-id=" + topic,
                "--kafka.consumer.auto-offset-reset=earliest",
                "--kafka.consumer.commit-interval=" + NO_COMMIT_BEFORE_STOP,
                "--kafka.consumer.virtual-threads=" + VIRTUAL_THREADS, "--worker.topic=" + topic,
                "--spring.main.banner-mode=off"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static void send(KafkaBroker kafka, String topic, int from, int count) {
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(from, from + count)
            .mapToObj((i) -> new ProducerRecord<>(topic, 0, "k" + i, "v" + i))
            .toList());
    }

    private static long handled(Path output) throws IOException {
        return read(output).lines().filter((line) -> line.startsWith(WorkerApplication.HANDLED)).count();
    }

    private static Map<TopicPartition, Long> committed(KafkaBroker kafka, String group)
            throws InterruptedException, ExecutionException {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
            return offsets.entrySet()
                .stream()
                .filter((offset) -> offset.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, (offset) -> offset.getValue().offset()));
        }
    }

    private static void within(Duration timeout, Callable<Boolean> condition, String what, Path output)
            throws IOException {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(condition);
        }
        catch (ConditionTimeoutException ex) {
            throw new AssertionError("Not within " + timeout + ": " + what + "; output:\n" + read(output), ex);
        }
    }

    private static String read(Path output) throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }

}
