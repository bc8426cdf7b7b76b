package dev.kafkaconsumer.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * Reads the {@link EventLog}s of every consumer process of a run and counts Jepsen's anomalies
 * against the sequences the producers had acknowledged. Framework-neutral: it knows only the log format.
 *
 * <p>What is judged where: lost and duplicated over all logs together; skips, reordering and commits
 * within one process's log, per assignment of a partition (an {@code assigned} line starts one, a
 * {@code revoked} line ends it). A commit of offset {@code c} is above an unprocessed record when some
 * offset in {@code [first, c)} was not processed by that process before the commit, where {@code first}
 * is the first offset it processed in the assignment; offsets below {@code first} belonged to an earlier
 * owner, and a commit in an assignment that processed nothing is not judged. A last line cut short by a
 * kill (no line break) is ignored.
 */
public final class Checker {

    private Checker() {
    }

    /**
     * Checks the log files of a run.
     *
     * @param logs         one file per consumer process
     * @param acknowledged the sequences the producers had acknowledged
     * @return the counts
     * @throws IOException if a log cannot be read
     */
    public static CheckResult check(Collection<Path> logs, Collection<Long> acknowledged) throws IOException {
        return check(logs, acknowledged, Map.of());
    }

    /**
     * Checks the log files of a run whose partitions have offsets that hold no record for the consumer: under
     * {@code read_committed}, the records of aborted transactions and the transaction markers. A consumer passes
     * over them without handling anything, so they count neither as skipped nor as unprocessed below a commit.
     *
     * @param logs           one file per consumer process
     * @param acknowledged   the sequences the producers had acknowledged
     * @param withoutRecords by partition, the offsets that hold no record for the consumer
     * @return the counts
     * @throws IOException if a log cannot be read
     */
    public static CheckResult check(Collection<Path> logs, Collection<Long> acknowledged,
            Map<Integer, Set<Long>> withoutRecords) throws IOException {
        List<List<String>> processes = new ArrayList<>();
        for (Path log : logs) {
            processes.add(lines(log));
        }
        return check(processes, acknowledged, withoutRecords);
    }

    /**
     * Checks the lines of the logs of a run.
     *
     * @param processes    the lines of each consumer process's log, in order
     * @param acknowledged the sequences the producers had acknowledged
     * @return the counts
     * @throws IllegalArgumentException for a line that is not an event
     */
    public static CheckResult check(List<List<String>> processes, Collection<Long> acknowledged) {
        return check(processes, acknowledged, Map.of());
    }

    /**
     * Checks the lines of the logs of a run; see {@link #check(Collection, Collection, Map)}.
     *
     * @param processes      the lines of each consumer process's log, in order
     * @param acknowledged   the sequences the producers had acknowledged
     * @param withoutRecords by partition, the offsets that hold no record for the consumer
     * @return the counts
     * @throws IllegalArgumentException for a line that is not an event
     */
    public static CheckResult check(List<List<String>> processes, Collection<Long> acknowledged,
            Map<Integer, Set<Long>> withoutRecords) {
        Set<Long> seen = new HashSet<>();
        long processed = 0;
        long duplicated = 0;
        long nonMonotonic = 0;
        long skipped = 0;
        long badCommits = 0;
        for (List<String> lines : processes) {
            Map<Integer, Assignment> assignments = new HashMap<>();
            for (String line : lines) {
                String[] fields = line.trim().split(" ");
                switch (fields[0]) {
                    case "processed" -> {
                        expect(fields, 5, line);
                        processed++;
                        if (!seen.add(Long.parseLong(fields[4]))) {
                            duplicated++;
                        }
                        Assignment assignment = assignments.computeIfAbsent(Integer.parseInt(fields[2]), p -> new Assignment());
                        Set<Long> gaps = withoutRecords.getOrDefault(Integer.parseInt(fields[2]), Set.of());
                        long offset = Long.parseLong(fields[3]);
                        if (assignment.last >= 0 && offset <= assignment.last) {
                            nonMonotonic++;
                        } else if (assignment.last >= 0 && offset > assignment.last + 1
                                && !LongStream.range(assignment.last + 1, offset).allMatch(gaps::contains)) {
                            skipped++;
                        }
                        assignment.processed(offset, gaps);
                    }
                    case "committed" -> {
                        expect(fields, 3, line);
                        Assignment assignment = assignments.get(Integer.parseInt(fields[1]));
                        if (assignment != null && assignment.first >= 0 && Long.parseLong(fields[2]) > assignment.contiguousEnd) {
                            badCommits++;
                        }
                    }
                    case "assigned" -> {
                        expect(fields, 2, line);
                        partitions(fields[1]).forEach(p -> assignments.put(p, new Assignment()));
                    }
                    case "revoked" -> {
                        expect(fields, 2, line);
                        partitions(fields[1]).forEach(assignments::remove);
                    }
                    case "commit-failed" -> {
                        // a refused commit moves nothing: what it carried stays above the committed offset
                    }
                    case "aborted" -> {
                        // a transaction aborted: its records come again, counted as duplicated and non-monotonic in this log
                    }
                    default -> throw new IllegalArgumentException("Not an event: '" + line + "'");
                }
            }
        }
        long lost = acknowledged.stream().distinct().filter(sequence -> !seen.contains(sequence)).count();
        return new CheckResult(acknowledged.stream().distinct().count(), processed, lost, duplicated, nonMonotonic, skipped, badCommits);
    }

    /**
     * How many records one process processed above its last commit of their partition: the most a
     * successor may process again after that process dies.
     *
     * @param lines the lines of the process's log
     * @return the count
     */
    public static long processedButNotCommitted(List<String> lines) {
        Map<Integer, Long> committed = new HashMap<>();
        for (String line : lines) {
            String[] fields = line.trim().split(" ");
            if (fields[0].equals("committed")) {
                committed.merge(Integer.parseInt(fields[1]), Long.parseLong(fields[2]), Math::max);
            }
        }
        return lines.stream().map(line -> line.trim().split(" ")).filter(fields -> fields[0].equals("processed"))
                .filter(fields -> Long.parseLong(fields[3]) >= committed.getOrDefault(Integer.parseInt(fields[2]), -1L))
                .count();
    }

    /**
     * How many records one process handled out of their key's order: a record whose sequence is below one of its
     * key that the process had handled before it, which a KEY-ordered container must never do. (Its
     * non-monotonic and skipped counts compare offsets across keys, which KEY ordering reorders by design.) The
     * key is read off the sequence, as {@code SequenceProducer} chooses it: sequence {@code s} has key
     * {@code s % keys}. An equal sequence is a duplicate, counted as such by {@link #check}, not as disorder.
     *
     * @param lines the lines of the process's log
     * @param keys  how many keys the producer wrote
     * @return the count
     */
    public static long outOfKeyOrder(List<String> lines, int keys) {
        Map<Long, Long> last = new HashMap<>();
        long out = 0;
        for (String line : lines) {
            String[] fields = line.trim().split(" ");
            if (fields[0].equals("processed")) {
                long sequence = Long.parseLong(fields[4]);
                Long highest = last.get(sequence % keys);
                if (highest != null && sequence < highest) {
                    out++;
                }
                last.merge(sequence % keys, sequence, Math::max);
            }
        }
        return out;
    }

    /**
     * Reads a log's complete lines: a last line without a line break, cut short by a kill, is dropped.
     *
     * @param log the file
     * @return its lines
     * @throws IOException if it cannot be read
     */
    public static List<String> lines(Path log) throws IOException {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : text.substring(0, end).lines().filter(line -> !line.isBlank()).toList();
    }

    private static void expect(String[] fields, int count, String line) {
        if (fields.length != count) {
            throw new IllegalArgumentException("Expected " + count + " fields in '" + line + "'");
        }
    }

    private static List<Integer> partitions(String list) {
        return list.equals("-") ? List.of() : Arrays.stream(list.split(",")).map(Integer::valueOf).toList();
    }

    /** One assignment of one partition to one process, as far as the log shows it. */
    private static final class Assignment {

        private final Set<Long> offsets = new HashSet<>();
        private long first = -1;
        private long last = -1;
        /** Every offset in [first, contiguousEnd) has been processed in this assignment. */
        private long contiguousEnd = -1;

        void processed(long offset, Set<Long> withoutRecords) {
            if (first < 0) {
                first = offset;
                contiguousEnd = offset;
            }
            last = offset;
            offsets.add(offset);
            while (offsets.contains(contiguousEnd) || withoutRecords.contains(contiguousEnd)) {
                contiguousEnd++;
            }
        }
    }
}
