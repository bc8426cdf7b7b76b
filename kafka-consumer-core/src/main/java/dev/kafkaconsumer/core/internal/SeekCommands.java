package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The commands that move positions: {@code seek}, {@code seekToBeginning}, {@code seekToEnd} and
 * {@code seekToCommitted}. Each moves the consumer and the partition's buffer together (the buffer drops
 * what it held) and ends a back-off, since a seek may cure what the poll kept failing on. Built on a caller
 * thread, run on the I/O thread (see {@link IoCommand}).
 */
final class SeekCommands {

    private SeekCommands() {
    }

    /** Moves one partition to an offset. */
    static final class Seek extends IoCommand<Void> {
        private final TopicPartition partition;
        private final long offset;

        Seek(TopicPartition partition, long offset, Deadline deadline) {
            super("seek(" + partition + ", " + offset + ")", deadline);
            this.partition = partition;
            this.offset = offset;
        }

        @Override
        Void execute(IoContext io, Duration timeout) {
            io.buffers().requireAssigned(List.of(partition));
            io.consumer().seek(partition, offset);
            io.buffers().reset(partition, offset);
            io.poll().resetBackOff();
            return null;
        }
    }

    /** The two ends a partition can be moved to. */
    enum Edge { BEGINNING, END }

    /** Moves partitions (none for every assigned one) to their beginning or end, and resolves the positions. */
    static final class SeekToEdge extends IoCommand<Void> {
        private final Collection<TopicPartition> partitions;
        private final Edge edge;

        SeekToEdge(Collection<TopicPartition> partitions, Edge edge, Deadline deadline) {
            super((edge == Edge.BEGINNING ? "seekToBeginning(" : "seekToEnd(") + partitions + ")", deadline);
            this.partitions = List.copyOf(partitions);
            this.edge = edge;
        }

        @Override
        Void execute(IoContext io, Duration timeout) {
            Collection<TopicPartition> targets = partitions.isEmpty() ? io.buffers().assignment() : partitions;
            io.buffers().requireAssigned(targets);
            if (edge == Edge.BEGINNING) {
                io.consumer().seekToBeginning(targets);
            } else {
                io.consumer().seekToEnd(targets);
            }
            long end = io.time().milliseconds() + Durations.millis(timeout);
            for (TopicPartition partition : targets) {
                Duration left = Duration.ofMillis(Math.max(0, end - io.time().milliseconds()));
                io.buffers().reset(partition, io.consumer().position(partition, left));
            }
            io.poll().resetBackOff();
            return null;
        }
    }

    /** Moves partitions (none for every assigned one) to their committed offsets, where there are any. */
    static final class SeekToCommitted extends IoCommand<Map<TopicPartition, OffsetAndMetadata>> {
        private final Collection<TopicPartition> partitions;

        SeekToCommitted(Collection<TopicPartition> partitions, Deadline deadline) {
            super("seekToCommitted(" + partitions + ")", deadline);
            this.partitions = List.copyOf(partitions);
        }

        @Override
        Map<TopicPartition, OffsetAndMetadata> execute(IoContext io, Duration timeout) {
            Set<TopicPartition> targets = new LinkedHashSet<>(partitions.isEmpty() ? io.buffers().assignment() : partitions);
            io.buffers().requireAssigned(targets);
            Map<TopicPartition, OffsetAndMetadata> committed = io.consumer().committed(targets, timeout);
            Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
            for (TopicPartition partition : targets) {
                OffsetAndMetadata offset = committed.get(partition);
                result.put(partition, offset);
                if (offset != null) {
                    io.consumer().seek(partition, offset);
                    io.buffers().reset(partition, offset.offset());
                }
            }
            io.poll().resetBackOff();
            return result;
        }
    }
}
