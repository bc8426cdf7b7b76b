package dev.kafkaconsumer.core.internal.container;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.Completions;
import dev.kafkaconsumer.core.RecordProcessor;
import dev.kafkaconsumer.core.TransactionalRecordHandler;

/**
 * What makes a container transactional at build time: the settings it refuses, and the record processor that
 * runs a {@link TransactionalRecordHandler} with the {@link RecordOutputs} of the record being handled (which
 * {@link TransactionalOutcomes} hands the runner in place of an acknowledgement). Stateless.
 */
final class TransactionalContainers {

    private TransactionalContainers() {
    }

    /**
     * Refuses the settings with which the rule (a record's output is committed only in the transaction that
     * commits its input offset) cannot hold.
     *
     * @throws IllegalStateException naming the setting and why
     */
    static void check(String name, boolean otherHandler, boolean manualPartitions, boolean commitMode, boolean commitInterval) {
        String prefix = "Container " + name + " is transactional; ";
        if (otherHandler) {
            throw new IllegalStateException(prefix + "it cannot also have a handler(...), processor(...) or batch handler: "
                    + "its transactional handler is its only handler");
        }
        if (manualPartitions) {
            throw new IllegalStateException(prefix + "it needs a topic or pattern subscription, not partitions(...): the "
                    + "offsets of a transaction carry the group's generation, which is what fences a zombie instance");
        }
        if (commitMode) {
            throw new IllegalStateException(prefix + "do not set commitMode(...): offsets are committed only in transactions, "
                    + "on Transactions.Builder#commitInterval");
        }
        if (commitInterval) {
            throw new IllegalStateException(prefix + "do not set the container's commitInterval(...): set "
                    + "Transactions.Builder#commitInterval(...)");
        }
    }

    /** Runs the handler with the record's outputs as its sender: they are kept only when it returns normally. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <K, V> RecordProcessor<K, V> processor(TransactionalRecordHandler<K, V, ?, ?> handler) {
        TransactionalRecordHandler<K, V, Object, Object> typed = (TransactionalRecordHandler) handler;
        return (record, acknowledgement) -> {
            RecordOutputs<Object, Object> outputs = outputsOf(acknowledgement);
            boolean handled = false;
            try {
                typed.handle(record, outputs);
                handled = true;
            } finally {
                outputs.close(handled);
            }
            return Completions.DONE;
        };
    }

    @SuppressWarnings("unchecked")
    private static RecordOutputs<Object, Object> outputsOf(Acknowledgement acknowledgement) {
        if (acknowledgement instanceof RecordOutputs<?, ?> outputs) {
            return (RecordOutputs<Object, Object>) outputs;
        }
        throw new IllegalStateException("A transactional handler ran outside a transactional container");
    }
}
