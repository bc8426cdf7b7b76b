package dev.kafkaconsumer.benchmarks.memory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import dev.kafkaconsumer.benchmarks.harness.ChildProcesses;

/**
 * The harness's handle on a {@link MemoryConsumerProcess} in a child JVM: collects its samples, each
 * stamped with how many records the harness had produced when it arrived, so that the backlog of each
 * sample is known. Closing it closes the child's standard input, which stops the consumer, and
 * destroys the child if it does not end in time.
 */
final class ConsumerJvm implements AutoCloseable {

    /** The consumer JVM's options: a heap that may grow to 1 GiB but starts small, so that RSS shows what it needs. */
    static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx1g", "-XX:+UseG1GC");

    /**
     * A sample and the records produced when it arrived.
     *
     * @param sample   the consumer's reading
     * @param produced records in the topic (as far as the harness knows) at that moment
     */
    record Point(MemorySample sample, long produced) {

        /** Records produced and not yet handled. */
        long backlog() {
            return Math.max(0, produced - sample.handled());
        }
    }

    private final Process process;
    private final List<Point> points = new CopyOnWriteArrayList<>();

    /**
     * Starts a consumer JVM.
     *
     * @param mode             what it runs
     * @param bootstrapServers the broker
     * @param topic            the topic it consumes from the beginning
     * @param produced         how many records the topic holds now; read when each sample arrives
     */
    ConsumerJvm(MemoryConsumerProcess.Mode mode, String bootstrapServers, String topic, LongSupplier produced) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-classpath");
        command.add(System.getProperty("java.class.path"));
        command.add(MemoryConsumerProcess.class.getName());
        command.addAll(List.of(mode.name(), bootstrapServers, topic));
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not launch the consumer JVM", e);
        }
        Thread pump = new Thread(() -> collect(produced), "b5-consumer-output-" + mode);
        pump.setDaemon(true);
        pump.setUncaughtExceptionHandler((t, e) -> System.err.println("[" + t.getName() + "] failed: " + e));
        pump.start();
    }

    private void collect(LongSupplier produced) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                MemorySample sample = MemorySample.parse(line);
                if (sample == null) {
                    System.err.println("[consumer] " + line);
                } else {
                    points.add(new Point(sample, produced.getAsLong()));
                }
            }
        } catch (IOException e) {
            // the child is gone; the samples so far stay
        }
    }

    /** The samples so far, oldest first. */
    List<Point> points() {
        return List.copyOf(points);
    }

    /** Records handled as of the latest sample. */
    long handled() {
        return points.isEmpty() ? 0 : points.get(points.size() - 1).sample().handled();
    }

    /** Whether the child is still running. */
    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, "consumer JVM");
    }
}
