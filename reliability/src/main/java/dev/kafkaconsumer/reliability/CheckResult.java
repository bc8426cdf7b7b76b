package dev.kafkaconsumer.reliability;

/**
 * The anomaly counts of one run, after Jepsen's Kafka workload.
 *
 * @param acknowledged             sequences the producers had acknowledged
 * @param processed                {@code processed} lines over all logs
 * @param lost                     acknowledged sequences that no process processed
 * @param duplicated               processings of a sequence beyond its first
 * @param nonMonotonic             records whose offset was not above the previous one within one
 *                                 assignment of their partition in one process
 * @param skipped                  records whose offset jumped over offsets within one assignment of
 *                                 their partition in one process
 * @param commitsAboveUnprocessed  commits whose offset was above a record of that assignment that the
 *                                 committing process had not processed before it
 */
public record CheckResult(long acknowledged, long processed, long lost, long duplicated, long nonMonotonic,
        long skipped, long commitsAboveUnprocessed) {

    /**
     * Whether nothing was lost, duplicated, skipped or reordered and every commit was safe.
     *
     * @return true for a clean run
     */
    public boolean clean() {
        return lost == 0 && duplicated == 0 && nonMonotonic == 0 && skipped == 0 && commitsAboveUnprocessed == 0;
    }

    /**
     * The header and separator of the Markdown table whose rows {@link #markdownRow(String)} renders.
     *
     * @return two lines
     */
    public static String markdownHeader() {
        return "| scenario | acknowledged | processed | lost | duplicated | non-monotonic | skipped | commits above unprocessed |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|";
    }

    /**
     * One row of the results table.
     *
     * @param scenario the scenario's name, e.g. {@code R2 classic}
     * @return the row, without a line break
     */
    public String markdownRow(String scenario) {
        return "| " + scenario + " | " + acknowledged + " | " + processed + " | " + lost + " | " + duplicated + " | "
                + nonMonotonic + " | " + skipped + " | " + commitsAboveUnprocessed + " |";
    }
}
