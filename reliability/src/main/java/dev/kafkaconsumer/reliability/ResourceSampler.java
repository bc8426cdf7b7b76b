package dev.kafkaconsumer.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Samples what a long-running consumer process holds, for the soak (R18): the heap used right after a full
 * collection ({@code System.gc()}, then the {@code MemoryMXBean}: what stays reachable, not what awaits collection),
 * the live threads and the open file descriptors ({@code /proc/self/fd}: sockets, files, epoll). One line per sample
 * to its file, {@code <epoch millis> <heap bytes> <threads> <descriptors>}, flushed at once, so that the test reads
 * the samples while the process runs. The sampler's own thread and the descriptor of the listing count in every
 * sample alike.
 */
final class ResourceSampler implements AutoCloseable {

    private final Writer out;
    private final ScheduledExecutorService thread;

    private ResourceSampler(Writer out) {
        this.out = out;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread sampler = new Thread(runnable, "reliability-resource-sampler");
            sampler.setDaemon(true);
            return sampler;
        });
    }

    /**
     * Samples into {@code file} every {@code interval}, the first sample at once.
     *
     * @param file     where the samples go, appended
     * @param interval the time between samples
     * @return the running sampler
     * @throws IOException if the file cannot be opened
     */
    static ResourceSampler start(Path file, Duration interval) throws IOException {
        ResourceSampler sampler = new ResourceSampler(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        sampler.thread.scheduleWithFixedDelay(sampler::sampleOrReport, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return sampler;
    }

    /**
     * Takes a sample; a failure is printed and the next sample goes on: a scheduled task that throws is never run again,
     * and the soak would then see too few samples of its last quarter without the reason.
     */
    private void sampleOrReport() {
        try {
            sample();
        } catch (RuntimeException | Error e) {
            System.err.println("[reliability-resource-sampler] a sample failed, the next one goes on: " + e);
            e.printStackTrace();
        }
    }

    private void sample() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        long descriptors;
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            descriptors = open.count();
        } catch (IOException e) {
            descriptors = -1;
        }
        try {
            synchronized (out) {
                out.write(System.currentTimeMillis() + " " + heap + " " + threads + " " + descriptors + "\n");
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            synchronized (out) {
                out.close();
            }
        } catch (IOException e) {
            // the process ends anyway
        }
    }
}
