package dev.kafkaconsumer.benchmarks.transactions;

/**
 * A B11 contender: a transactional consume-transform-produce pipeline that reads the input topic from the beginning
 * under a group of its own and, for every input record, writes {@link TransactionalRecords#handle}'s output to the
 * output topic in the transaction that commits the input's offset. The benchmark times it ({@link CommitWatch}); the
 * contender only starts, counts its transactions and stops.
 */
interface TransactionalContender {

    /** A short label for tables and logs. */
    String name();

    /**
     * Starts the pipeline; returns at once (the clock runs from just before this call).
     *
     * @param bootstrapServers the broker
     * @param input            the input topic
     * @param output           the run's output topic
     * @param group            the run's consumer group (new)
     * @param run              the run's number (0 for a warm-up), for client and transactional ids
     * @return the running pipeline
     */
    Running start(String bootstrapServers, String input, String output, String group, int run);

    /** A started pipeline. */
    interface Running extends AutoCloseable {

        /** Transactions committed so far. */
        long committed();

        /** Transactions aborted so far. */
        long aborted();

        /** Why the pipeline failed, or null while it runs. */
        Throwable failure();

        /** Stops the pipeline and waits until it has. */
        @Override
        void close();
    }
}
