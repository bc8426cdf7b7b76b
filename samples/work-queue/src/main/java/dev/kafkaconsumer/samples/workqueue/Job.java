package dev.kafkaconsumer.samples.workqueue;

/**
 * One job of the queue, as the producer writes it ({@code <sequence>:<kind>}): most are {@code ok}; a {@code flaky}
 * one fails on its first delivery and succeeds on the next (a timeout, say); a {@code poison} one fails every time.
 *
 * @param sequence the job's unique sequence number
 * @param kind     ok, flaky or poison
 */
record Job(long sequence, String kind) {

    /** One job in 250 is flaky. */
    static final int FLAKY_EVERY = 250;

    /** One job in 1000 is poison, the 500th first. */
    static final int POISON_EVERY = 1000;

    static Job of(long sequence) {
        String kind = (sequence % POISON_EVERY == POISON_EVERY / 2) ? "poison"
                : (sequence % FLAKY_EVERY == 1) ? "flaky" : "ok";
        return new Job(sequence, kind);
    }

    static Job parse(String value) {
        int colon = value.indexOf(':');
        return new Job(Long.parseLong(value.substring(0, colon)), value.substring(colon + 1));
    }

    @Override
    public String toString() {
        return sequence + ":" + kind;
    }
}
