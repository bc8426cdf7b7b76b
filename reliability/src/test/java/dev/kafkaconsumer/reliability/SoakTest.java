package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * R18, the soak: a steady producer, three consumer processes of one group on a cluster of three brokers; one consumer
 * is replaced (SIGTERM, a new JVM) every {@code duration / 15} and one broker bounced (SIGTERM, a controlled shutdown,
 * then started again) every {@code duration / 3}, the first half-way through its interval; at the default 30 minutes,
 * a restart every 2 minutes and a bounce every 10. The two consumers that are never restarted, the survivors, live
 * through every rebalance and bounce; each samples its heap after a full collection, its threads and its open file
 * descriptors ({@link ResourceSampler}) every {@code duration / 60}. Asserted: for each survivor and each of the three,
 * the median of the last quarter of the run within 10 % of the median of the first (a leak grows), and, with the
 * checker, nothing lost and no commit above an unprocessed record.
 *
 * <p>Its own profile, {@code -Preliability-soak}, and nothing else runs there; neither the normal build nor
 * {@code -Preliability-full} runs it. {@code -Dreliability.soak.minutes=3} is the short form, which proves the harness
 * (restarts every 12 s, a bounce at 30 s and 90 s, samples every 3 s); {@code reliability.soak.protocol} chooses the
 * group protocol ({@code classic}).
 */
@Tag(SoakTest.TAG)
@ExtendWith(Results.Extension.class)
class SoakTest {

    /** The tag of the soak, which only {@code -Preliability-soak} runs. */
    static final String TAG = "reliability-soak";

    private static final int PARTITIONS = 6;
    private static final int PER_SECOND = 200;
    private static final double TOLERANCE = 0.10;
    private static final List<String> OPTIONS = List.of("-Dkafka.max.poll.records=100");

    /** Kept when the test fails, with every event log, sample file and process output, for the post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void survivingConsumersHoldFlatHeapThreadsAndDescriptorsThroughRestartsAndBrokerBouncesAndLoseNothing(Results results)
            throws Exception {
        long minutes = Long.getLong("reliability.soak.minutes", 30);
        String protocol = System.getProperty("reliability.soak.protocol", "classic");
        Duration duration = Duration.ofMinutes(minutes);
        Duration restartEvery = duration.dividedBy(15);
        Duration bounceEvery = duration.dividedBy(3);
        Duration sampleEvery = duration.dividedBy(60);
        String topic = "r18-" + protocol + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> samplerOptions = new ArrayList<>(OPTIONS);
        samplerOptions.add("-Dreliability.stats-interval-ms=" + sampleEvery.toMillis());
        List<Path> logs = new ArrayList<>();
        List<ConsumerProcess> live = new ArrayList<>();
        try (BrokerCluster cluster = BrokerCluster.builder(dir, 3).start()) {
            cluster.createTopic(topic, PARTITIONS);
            String bootstrap = cluster.bootstrapServers();
            try (SequenceProducer producer = SequenceProducer.start(cluster.clientProperties(), topic, PARTITIONS, PER_SECOND)) {
                List<Path> stats = List.of(dir.resolve("survivor0.stats"), dir.resolve("survivor1.stats"));
                for (int survivor = 0; survivor < 2; survivor++) {
                    List<String> options = new ArrayList<>(samplerOptions);
                    options.add("-Dreliability.stats-file=" + stats.get(survivor));
                    live.add(start(bootstrap, topic, protocol, "survivor" + survivor, options, logs));
                }
                live.add(start(bootstrap, topic, protocol, "restarted0", OPTIONS, logs));
                ConsumerProcess.awaitBalanced(live, PARTITIONS);

                long begin = System.nanoTime();
                long beginMillis = System.currentTimeMillis();
                long end = begin + duration.toNanos();
                long nextRestart = begin + restartEvery.toNanos();
                long nextBounce = begin + bounceEvery.toNanos() / 2;
                int restarts = 0;
                int bounces = 0;
                long bounceMillis = 0;
                while (true) {
                    long next = Math.min(nextRestart, nextBounce);
                    // a fault that a slow one before it (a JVM's start on a loaded machine) pushed past the end is dropped
                    if (next >= end || System.nanoTime() >= end) {
                        break;
                    }
                    pace(next);
                    if (next == nextBounce) {
                        int node = bounces % 3;
                        long bounceStarted = System.nanoTime();
                        cluster.stop(node);
                        cluster.restart(node);
                        bounceMillis = Math.max(bounceMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - bounceStarted));
                        bounces++;
                        nextBounce += bounceEvery.toNanos();
                    } else {
                        restarts++;
                        live.get(2).terminate();
                        live.set(2, start(bootstrap, topic, protocol, "restarted" + restarts, OPTIONS, logs));
                        ConsumerProcess.awaitBalanced(live, PARTITIONS);
                        nextRestart += restartEvery.toNanos();
                    }
                }
                pace(end);
                long ran = System.nanoTime() - begin;
                producer.stop();
                List<Long> acknowledged = producer.acknowledged();
                await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500))
                        .until(() -> Logs.allProcessed(logs, acknowledged));
                long quarter = TimeUnit.NANOSECONDS.toMillis(ran) / 4;
                List<Flatness> flatness = new ArrayList<>();
                for (int survivor = 0; survivor < 2; survivor++) {
                    List<long[]> samples = samples(stats.get(survivor), beginMillis, beginMillis + 4 * quarter);
                    flatness.add(Flatness.of("survivor" + survivor, samples, beginMillis + quarter, beginMillis + 3 * quarter));
                }
                for (ConsumerProcess process : live) {
                    process.terminate();
                }

                CheckResult result = Checker.check(logs, acknowledged);
                String scenario = minutes >= 30 ? "R18 soak" : "R18 soak, short";
                results.record(scenario, protocol, result, String.format("%d min at %d records/s on 3 brokers, %d partitions; "
                        + "%d consumer restarts (SIGTERM, a new JVM, every %d s), %d broker bounces (SIGTERM, started again: "
                        + "at most %.1f s, every %d s); the 2 surviving consumers sampled every %d s, first quarter's median "
                        + "against the last's: %s; %d sends failed; load average %.1f at the end",
                        TimeUnit.NANOSECONDS.toMinutes(ran), PER_SECOND, PARTITIONS, restarts, restartEvery.toSeconds(), bounces,
                        bounceMillis / 1000.0, bounceEvery.toSeconds(), sampleEvery.toSeconds(),
                        String.join("; ", flatness.stream().map(Flatness::toString).toList()), producer.failed(),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
                assertThat(result.lost()).as("lost").isZero();
                assertThat(result.commitsAboveUnprocessed()).as("commits above an unprocessed record").isZero();
                assertThat(restarts).as("consumer restarts").isPositive();
                assertThat(bounces).as("broker bounces").isPositive();
                for (Flatness survivor : flatness) {
                    assertThat(survivor.first.size()).as("samples of %s's first quarter", survivor.name).isGreaterThanOrEqualTo(3);
                    assertThat(survivor.last.size()).as("samples of %s's last quarter", survivor.name).isGreaterThanOrEqualTo(3);
                    assertThat(survivor.change(sample -> sample[1])).as("%s heap after GC, last quarter against first", survivor)
                            .isBetween(-TOLERANCE, TOLERANCE);
                    assertThat(survivor.change(sample -> sample[2])).as("%s threads, last quarter against first", survivor)
                            .isBetween(-TOLERANCE, TOLERANCE);
                    assertThat(survivor.change(sample -> sample[3])).as("%s file descriptors, last quarter against first", survivor)
                            .isBetween(-TOLERANCE, TOLERANCE);
                }
            } finally {
                live.forEach(ConsumerProcess::close);
            }
        }
    }

    private ConsumerProcess start(String bootstrap, String topic, String protocol, String name, List<String> options,
            List<Path> logs) throws IOException {
        ConsumerProcess process = ConsumerProcess.start(dir, name, bootstrap, topic, protocol, options);
        logs.add(process.log());
        return process;
    }

    /** Waits for a point of the run's timeline: pacing the faults, not synchronising with anything. */
    private static void pace(long dueNanos) {
        long wait;
        while ((wait = dueNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** The samples {@code {epoch millis, heap bytes, threads, descriptors}} taken within {@code [from, to)}. */
    private static List<long[]> samples(Path file, long from, long to) throws IOException {
        List<long[]> samples = new ArrayList<>();
        if (!Files.exists(file)) {
            return samples;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] fields = line.trim().split(" ");
            if (fields.length == 4) {
                long[] sample = {Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                        Long.parseLong(fields[3])};
                if (sample[0] >= from && sample[0] < to) {
                    samples.add(sample);
                }
            }
        }
        return samples;
    }

    /** A survivor's samples of the run's first and last quarters. */
    private record Flatness(String name, List<long[]> first, List<long[]> last) {

        static Flatness of(String name, List<long[]> samples, long firstEnds, long lastBegins) {
            return new Flatness(name, samples.stream().filter(sample -> sample[0] < firstEnds).toList(),
                    samples.stream().filter(sample -> sample[0] >= lastBegins).toList());
        }

        /** The last quarter's median against the first's, as a fraction of the first's: 0.05 is 5 % more. */
        double change(ToLongFunction<long[]> field) {
            double before = median(first, field);
            return before == 0 ? 0 : (median(last, field) - before) / before;
        }

        private static double median(List<long[]> samples, ToLongFunction<long[]> field) {
            long[] values = samples.stream().mapToLong(field).sorted().toArray();
            if (values.length == 0) {
                return 0;
            }
            int middle = values.length / 2;
            return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2.0;
        }

        @Override
        public String toString() {
            return String.format("%s heap after GC %.1f -> %.1f MiB (%+.1f %%), threads %.0f -> %.0f, descriptors %.0f -> %.0f "
                    + "(%d and %d samples)", name, median(first, sample -> sample[1]) / (1 << 20),
                    median(last, sample -> sample[1]) / (1 << 20), 100 * change(sample -> sample[1]),
                    median(first, sample -> sample[2]), median(last, sample -> sample[2]), median(first, sample -> sample[3]),
                    median(last, sample -> sample[3]), first.size(), last.size());
        }
    }
}
