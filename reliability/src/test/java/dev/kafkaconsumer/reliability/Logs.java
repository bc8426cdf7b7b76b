package dev.kafkaconsumer.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a test asks of the {@link EventLog}s of a run while it is going on: how far a process got, what
 * it owns. Each call reads the files again; a log not yet created reads as empty.
 */
final class Logs {

    private Logs() {
    }

    /** The complete lines of a log, none when it does not exist yet. */
    static List<String> lines(Path log) throws IOException {
        return Files.exists(log) ? Checker.lines(log) : List.of();
    }

    /** How many records a process logged as processed. */
    static long processed(Path log) throws IOException {
        return lines(log).stream().filter(line -> line.startsWith("processed ")).count();
    }

    /** How many revocations (revoked or lost partitions) a process logged. */
    static long revocations(Path log) throws IOException {
        return lines(log).stream().filter(line -> line.startsWith("revoked ") && !line.equals("revoked -")).count();
    }

    /** The partitions a process owns at the end of its log. */
    static Set<Integer> owned(Path log) throws IOException {
        Set<Integer> owned = new HashSet<>();
        for (String line : lines(log)) {
            String[] fields = line.split(" ");
            if ((fields[0].equals("assigned") || fields[0].equals("revoked")) && !fields[1].equals("-")) {
                for (String partition : fields[1].split(",")) {
                    if (fields[0].equals("assigned")) {
                        owned.add(Integer.valueOf(partition));
                    } else {
                        owned.remove(Integer.valueOf(partition));
                    }
                }
            }
        }
        return owned;
    }

    /** Whether each log's process owns partitions and together they own each of {@code 0..partitions-1} once. */
    static boolean balanced(Collection<Path> logs, int partitions) throws IOException {
        Set<Integer> owned = new HashSet<>();
        int total = 0;
        for (Path log : logs) {
            Set<Integer> mine = owned(log);
            if (mine.isEmpty()) {
                return false;
            }
            owned.addAll(mine);
            total += mine.size();
        }
        return total == partitions && owned.size() == partitions && owned.stream().allMatch(p -> p >= 0 && p < partitions);
    }

    /** The distinct sequences processed over all the logs. */
    static Set<Long> sequences(Collection<Path> logs) throws IOException {
        Set<Long> sequences = new HashSet<>();
        for (Path log : logs) {
            lines(log).stream().filter(line -> line.startsWith("processed "))
                    .forEach(line -> sequences.add(Long.valueOf(line.substring(line.lastIndexOf(' ') + 1))));
        }
        return sequences;
    }

    /** Whether every one of the sequences was processed by some process. */
    static boolean allProcessed(Collection<Path> logs, Collection<Long> acknowledged) throws IOException {
        return sequences(logs).containsAll(acknowledged);
    }
}
