package dev.kafkaconsumer.benchmarks.harness;

import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a contender's handler does with each record, so that one drain class (container, Spring, Parallel
 * Consumer) serves every case: B2 only counts ({@link #COUNT}); B3 first waits for the record's simulated
 * I/O ({@code SlowWork}). Every contender of a case gets the same work, which is what makes them comparable.
 */
public interface RecordWork {

    /** B2's handler: count the record and read its value's length, nothing else. */
    RecordWork COUNT = meter -> meter::count;

    /**
     * Returns the handler for one drain.
     *
     * @param meter the drain's meter; the handler must count every record with it once its work is done
     * @return the handler
     */
    Consumer<ConsumerRecord<byte[], byte[]>> handler(HandlerMeter meter);

    /**
     * A place for the handler of the coming drain, for contenders that must be given a handler before the
     * meter (whose creation starts the clock) exists.
     *
     * @return an empty one-element array
     */
    @SuppressWarnings("unchecked")
    static Consumer<ConsumerRecord<byte[], byte[]>>[] slot() {
        return new Consumer[1];
    }

    /**
     * How long a drain of {@code records} may take before it is failed rather than left to hang.
     *
     * @param records the records of the drain
     * @return seconds
     */
    default long timeoutSeconds(long records) {
        return HandlerMeter.timeoutSeconds(records);
    }
}
