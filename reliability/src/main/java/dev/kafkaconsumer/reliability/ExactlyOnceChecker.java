package dev.kafkaconsumer.reliability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a consume-transform-produce run by its output, as a {@code read_committed} reader of the output
 * topic saw it: every acknowledged input exactly once, and each key's outputs in the order of its inputs.
 *
 * <p>Each output record carries the input it was made from ({@link Output}). The counting of lost and
 * duplicated inputs, and of input offsets that go back or jump within one output partition, is
 * {@link Checker}'s: each output partition's records, in their order, are read as the log of one process
 * that processed those inputs. What this class adds is the order per key (the order a KEY-ordered
 * container promises), and the commit rule judged on the transformers' own event logs (a transaction that
 * committed an input offset above a record its process had not handled).
 */
public final class ExactlyOnceChecker {

    private ExactlyOnceChecker() {
    }

    /**
     * Checks a run.
     *
     * @param outputs         the output records as one reader read them, each output partition in its order
     *                        (the partitions may interleave)
     * @param acknowledged    the input sequences the producer had acknowledged
     * @param transformerLogs the lines of each transformer process's {@link EventLog} ({@code committed} lines
     *                        are the offsets its transactions committed); none to leave the commit rule unjudged
     * @return the counts
     */
    public static ExactlyOnceResult check(List<Output> outputs, Collection<Long> acknowledged, List<List<String>> transformerLogs) {
        Map<Integer, List<String>> streams = new LinkedHashMap<>();
        Map<Integer, Map<String, Long>> lastPerKey = new HashMap<>();
        long outOfKeyOrder = 0;
        for (Output output : outputs) {
            streams.computeIfAbsent(output.partition(), p -> new ArrayList<>()).add(
                    "processed output " + output.inputPartition() + " " + output.inputOffset() + " " + output.sequence());
            Map<String, Long> last = lastPerKey.computeIfAbsent(output.partition(), p -> new HashMap<>());
            Long previous = last.get(output.key());
            // an equal sequence is a duplicate, counted as such, not as disorder
            if (previous != null && output.sequence() < previous) {
                outOfKeyOrder++;
            }
            last.merge(output.key(), output.sequence(), Math::max);
        }
        CheckResult byOutput = Checker.check(List.copyOf(streams.values()), acknowledged);
        long commitsAboveUnprocessed = Checker.check(transformerLogs, List.of()).commitsAboveUnprocessed();
        CheckResult counts = new CheckResult(byOutput.acknowledged(), byOutput.processed(), byOutput.lost(), byOutput.duplicated(),
                byOutput.nonMonotonic(), byOutput.skipped(), commitsAboveUnprocessed);
        long keys = lastPerKey.values().stream().mapToLong(Map::size).sum();
        return new ExactlyOnceResult(counts, outOfKeyOrder, keys);
    }

    /**
     * One record of the output topic: where it is, and the input it was made from. Its value, as the
     * transformer writes it, is {@code <sequence> <input partition> <input offset>}; its key is the input's.
     *
     * @param partition      the output partition
     * @param offset         its offset in the output partition
     * @param key            the key (the input's)
     * @param sequence       the input's sequence number
     * @param inputPartition the input's partition
     * @param inputOffset    the input's offset
     */
    public record Output(int partition, long offset, String key, long sequence, int inputPartition, long inputOffset) {

        /**
         * The value a transformer writes for an input.
         *
         * @param sequence       the input's sequence
         * @param inputPartition its partition
         * @param inputOffset    its offset
         * @return {@code <sequence> <input partition> <input offset>}
         */
        public static String value(long sequence, int inputPartition, long inputOffset) {
            return sequence + " " + inputPartition + " " + inputOffset;
        }

        /**
         * Reads an output record.
         *
         * @param partition its partition
         * @param offset    its offset
         * @param key       its key
         * @param value     its value, as {@link #value} writes it
         * @return the output
         * @throws IllegalArgumentException for a value of another form
         */
        public static Output parse(int partition, long offset, String key, String value) {
            String[] fields = value.split(" ");
            if (fields.length != 3) {
                throw new IllegalArgumentException("Not an output value ('<sequence> <input partition> <input offset>'): '" + value
                        + "' at offset " + offset + " of partition " + partition);
            }
            return new Output(partition, offset, key, Long.parseLong(fields[0]), Integer.parseInt(fields[1]), Long.parseLong(fields[2]));
        }
    }
}
