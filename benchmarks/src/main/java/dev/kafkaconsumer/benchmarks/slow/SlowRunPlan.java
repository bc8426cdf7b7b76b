package dev.kafkaconsumer.benchmarks.slow;

import java.util.ArrayList;
import java.util.List;

import dev.kafkaconsumer.benchmarks.harness.BenchSettings;

/**
 * Which B3 runs happen, and in which order. A cell is a partition count and a key space; in each cell the
 * key-ordered contenders (container, Parallel Consumer) run on that cell's topic. Spring ignores keys
 * (its concurrency is the partition count), and every key space's topic holds the same records in the same
 * partitions ({@link SlowRecords}), so Spring runs once per partition count, on the topic of the largest
 * key space, and its result stands for every key space of that partition count.
 *
 * <p>The cells the targets concern (at least {@link #TARGET_KEYS} keys), and Spring's baseline for them,
 * make {@code runs} measured runs. The other cells are for information, and some are slow: a run that can
 * never have more than one record in flight (serial-bound: Spring on one partition, a key-ordered
 * contender with one key on one partition) takes the sum of all delays (20,000 × 2.5 ms ≈ 50 s), and a
 * contender with few keys takes a good part of that. So those entries, and serial-bound ones, make
 * {@code fewerRuns} (1 by default); a serial-bound run's time is the sum of fixed delays and varies little.
 * Runs alternate: round r runs, cell by cell, every entry that has an r-th run, so a slow phase of the
 * machine hits all contenders alike.
 */
final class SlowRunPlan {

    /** B3's contender: a {@code ConsumerContainer} with KEY ordering. */
    static final String CONTAINER = BenchSettings.CONTAINER;
    /** B3's peer: Spring for Apache Kafka's listener container, one thread per partition. */
    static final String SPRING = "spring";
    /** B3's peer: Confluent Parallel Consumer with KEY ordering. */
    static final String PARALLEL_CONSUMER = "pc";
    /** The key-ordered contenders' concurrency, as the issue asks. */
    static final int CONCURRENCY = 100;
    static final List<Integer> PARTITION_COUNTS = List.of(1, 6);
    static final List<Integer> KEY_SPACES = List.of(1, 10, 100, 10_000);
    /** The targets concern key spaces of at least this many keys. */
    static final int TARGET_KEYS = 100;

    /**
     * One entry of the plan.
     *
     * @param contender  {@link #CONTAINER}, {@link #SPRING} or {@link #PARALLEL_CONSUMER}
     * @param partitions the topic's partition count
     * @param keys       the topic's key space; for Spring, the largest key space (it stands for all)
     */
    record SlowRun(String contender, int partitions, int keys) {

        /** Whether this contender orders by key (and so its key space matters). */
        boolean keyOrdered() {
            return !SPRING.equals(contender);
        }

        /** The most records this contender can have in flight at once on this topic, whatever its speed. */
        int parallelismBound(int records) {
            if (!keyOrdered()) {
                return partitions;
            }
            long chains = Math.min(records, lcm(partitions, keys));
            return (int) Math.min(CONCURRENCY, chains);
        }

        /** The topic this run reads. */
        String topic() {
            return "b3-p" + partitions + "-k" + keys;
        }
    }

    private final List<String> contenders;
    private final List<Integer> partitionCounts;
    private final List<Integer> keySpaces;
    private final int records;
    private final int runs;
    private final int fewerRuns;

    /**
     * @param contenders      the contenders, in the order they alternate within a cell
     * @param partitionCounts the partition counts, in order
     * @param keySpaces       the key spaces, ascending
     * @param records         records per topic
     * @param runs            measured runs of each entry that a target concerns
     * @param fewerRuns       measured runs of the other entries and of serial-bound ones
     */
    SlowRunPlan(List<String> contenders, List<Integer> partitionCounts, List<Integer> keySpaces, int records, int runs,
            int fewerRuns) {
        if (runs < 1 || fewerRuns < 1) {
            throw new IllegalArgumentException("runs and fewer runs must be positive; were " + runs + " and " + fewerRuns);
        }
        this.contenders = List.copyOf(contenders);
        this.partitionCounts = List.copyOf(partitionCounts);
        this.keySpaces = List.copyOf(keySpaces);
        this.records = records;
        this.runs = runs;
        this.fewerRuns = fewerRuns;
    }

    List<Integer> partitionCounts() {
        return partitionCounts;
    }

    List<Integer> keySpaces() {
        return keySpaces;
    }

    List<String> contenders() {
        return contenders;
    }

    /** The key space whose topic Spring reads. */
    int largestKeySpace() {
        return keySpaces.get(keySpaces.size() - 1);
    }

    /** Every entry, cell by cell; Spring's entry comes with the first key space of its partition count. */
    List<SlowRun> entries() {
        List<SlowRun> entries = new ArrayList<>();
        for (int partitions : partitionCounts) {
            for (int keys : keySpaces) {
                for (String contender : contenders) {
                    boolean spring = SPRING.equals(contender);
                    if (!spring) {
                        entries.add(new SlowRun(contender, partitions, keys));
                    } else if (keys == keySpaces.get(0)) {
                        entries.add(new SlowRun(contender, partitions, largestKeySpace()));
                    }
                }
            }
        }
        return entries;
    }

    /** The run Spring's result comes from for this partition count. */
    SlowRun springRun(int partitions) {
        return new SlowRun(SPRING, partitions, largestKeySpace());
    }

    boolean serialBound(SlowRun run) {
        return run.parallelismBound(records) == 1;
    }

    /** Whether a target concerns the entry: a key-ordered contender with enough keys, or Spring's baseline. */
    boolean targeted(SlowRun run) {
        return !run.keyOrdered() || run.keys() >= TARGET_KEYS;
    }

    /** How many measured runs the entry makes. */
    int runsOf(SlowRun run) {
        return targeted(run) && !serialBound(run) ? runs : fewerRuns;
    }

    /** Measured runs of the entries that no target concerns, and of serial-bound ones. */
    int fewerRuns() {
        return fewerRuns;
    }

    /** One warm-up run per contender, on the topic with the most partitions and keys (the quickest). */
    List<SlowRun> warmUps() {
        int partitions = partitionCounts.get(partitionCounts.size() - 1);
        return contenders.stream().map(c -> new SlowRun(c, partitions, largestKeySpace())).toList();
    }

    /** The measured runs, round by round. */
    List<List<SlowRun>> rounds() {
        int rounds = Math.max(runs, fewerRuns);
        List<List<SlowRun>> plan = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            List<SlowRun> entries = new ArrayList<>();
            for (SlowRun run : entries()) {
                if (runsOf(run) >= round) {
                    entries.add(run);
                }
            }
            plan.add(entries);
        }
        return plan;
    }

    /**
     * The least time the measured runs and warm-ups can take: each run's lower bound
     * ({@link SlowRecords#lowerBoundSeconds}), without group joins and stops.
     */
    double lowerBoundSeconds(SlowRecords delays) {
        double total = 0;
        List<SlowRun> all = new ArrayList<>(warmUps());
        rounds().forEach(all::addAll);
        for (SlowRun run : all) {
            total += lowerBoundSeconds(delays, run);
        }
        return total;
    }

    /** The least wall time of one run of this entry. */
    static double lowerBoundSeconds(SlowRecords delays, SlowRun run) {
        return run.keyOrdered()
                ? delays.lowerBoundSeconds(run.partitions(), run.keys(), CONCURRENCY)
                : delays.lowerBoundSeconds(run.partitions(), 0, run.partitions());
    }

    /** The floor of one run of this entry from the run's own handler times ({@link HandlerFloor}), in seconds. */
    static double floorSeconds(HandlerFloor floor, SlowRun run) {
        return run.keyOrdered() ? floor.floorSeconds(true, CONCURRENCY) : floor.floorSeconds(false, run.partitions());
    }

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
