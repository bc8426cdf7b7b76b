package dev.kafkaconsumer.reliability;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The event log of one consumer process: one line per event, appended and flushed to the operating
 * system at once, so that a SIGKILL loses nothing that was written. {@link Checker} reads it.
 *
 * <p>The format, one event a line, fields separated by one space (partitions are numbers of the one
 * topic under test; a partition list is comma-separated, {@code -} when empty):
 * <pre>
 * processed &lt;topic&gt; &lt;partition&gt; &lt;offset&gt; &lt;sequence&gt;
 * committed &lt;partition&gt; &lt;offset&gt;
 * assigned &lt;partitions&gt;
 * revoked &lt;partitions&gt;
 * aborted &lt;reason&gt;
 * </pre>
 * A transactional container's {@code committed} lines are the input offsets a transaction committed, and
 * {@code aborted} says that a transaction was aborted (its records are handled again).
 * Methods are thread-safe: lines of concurrent callers never interleave, and the order of lines is
 * the order of the calls.
 */
public final class EventLog implements AutoCloseable {

    private final BufferedWriter out;

    private EventLog(BufferedWriter out) {
        this.out = out;
    }

    /**
     * Opens a log for appending, creating it when missing.
     *
     * @param file the file
     * @return the log
     * @throws IOException if the file cannot be opened
     */
    public static EventLog open(Path file) throws IOException {
        return new EventLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    /**
     * A record was processed.
     *
     * @param topic     its topic
     * @param partition its partition
     * @param offset    its offset
     * @param sequence  the producer's sequence number it carries
     */
    public void processed(String topic, int partition, long offset, long sequence) {
        write("processed " + topic + " " + partition + " " + offset + " " + sequence);
    }

    /**
     * A commit succeeded.
     *
     * @param partition the partition
     * @param offset    the committed offset (the next record to read)
     */
    public void committed(int partition, long offset) {
        write("committed " + partition + " " + offset);
    }

    /**
     * A commit failed: the broker refused it (a fenced member's, for one) or it could not be sent.
     *
     * @param partitions the partitions whose offsets it carried
     * @param failure    why, on one line: the exception's class and message
     */
    public void commitFailed(Collection<Integer> partitions, String failure) {
        write("commit-failed " + list(partitions) + " " + failure.replaceAll("\\s+", " ").trim());
    }

    /**
     * Partitions were assigned.
     *
     * @param partitions their numbers
     */
    public void assigned(Collection<Integer> partitions) {
        write("assigned " + list(partitions));
    }

    /**
     * Partitions were revoked or lost.
     *
     * @param partitions their numbers
     */
    public void revoked(Collection<Integer> partitions) {
        write("revoked " + list(partitions));
    }

    /**
     * A transaction was aborted: what it had handled is handled again.
     *
     * @param reason why, on one line
     */
    public void aborted(String reason) {
        write("aborted " + reason.replaceAll("\\s+", " ").trim());
    }

    private static String list(Collection<Integer> partitions) {
        return partitions.isEmpty() ? "-" : partitions.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
    }

    private synchronized void write(String line) {
        try {
            out.write(line);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not append to the event log", e);
        }
    }

    /** Flushes and closes the file. */
    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not close the event log", e);
        }
    }
}
