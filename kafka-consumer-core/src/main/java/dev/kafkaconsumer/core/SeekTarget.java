package dev.kafkaconsumer.core;

/**
 * Where {@link ConsumerContainer#seek} moves partitions to.
 */
public sealed interface SeekTarget {

    /**
     * The first offset still in the log.
     *
     * @return the target
     */
    static SeekTarget beginning() {
        return Beginning.INSTANCE;
    }

    /**
     * The end of the log (the last stable offset under read_committed): only records written later are handled.
     *
     * @return the target
     */
    static SeekTarget end() {
        return End.INSTANCE;
    }

    /**
     * An offset, which must lie between the beginning and the end of each partition.
     *
     * @param offset the next offset to handle, not negative
     * @return the target
     * @throws IllegalArgumentException for a negative offset
     */
    static SeekTarget offset(long offset) {
        return new Offset(offset);
    }

    /**
     * The first record whose timestamp is at or after the given time; the end of a partition that has none that recent.
     *
     * @param epochMillis milliseconds since the epoch, not negative
     * @return the target
     * @throws IllegalArgumentException for a negative time
     */
    static SeekTarget timestamp(long epochMillis) {
        return new Timestamp(epochMillis);
    }

    /** See {@link SeekTarget#beginning()}. */
    enum Beginning implements SeekTarget {
        /** The only instance. */
        INSTANCE
    }

    /** See {@link SeekTarget#end()}. */
    enum End implements SeekTarget {
        /** The only instance. */
        INSTANCE
    }

    /**
     * See {@link SeekTarget#offset(long)}.
     *
     * @param offset the next offset to handle
     */
    record Offset(long offset) implements SeekTarget {

        /** Checks the offset. */
        public Offset {
            if (offset < 0) {
                throw new IllegalArgumentException("A seek offset must not be negative, was " + offset);
            }
        }
    }

    /**
     * See {@link SeekTarget#timestamp(long)}.
     *
     * @param epochMillis milliseconds since the epoch
     */
    record Timestamp(long epochMillis) implements SeekTarget {

        /** Checks the time. */
        public Timestamp {
            if (epochMillis < 0) {
                throw new IllegalArgumentException("A seek timestamp must not be negative, was " + epochMillis);
            }
        }
    }
}
