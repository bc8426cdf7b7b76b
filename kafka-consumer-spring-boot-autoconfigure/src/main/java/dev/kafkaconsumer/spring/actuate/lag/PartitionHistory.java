package dev.kafkaconsumer.spring.actuate.lag;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;

import dev.kafkaconsumer.core.PartitionSnapshot;

/**
 * The samples of one assigned partition: a window of the last samples, for the status, and a table of
 * end offsets by the time they were seen, for the time lag. Called by one thread at a time (the tracker
 * synchronizes).
 */
final class PartitionHistory {

    private final int window;

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    private final ArrayDeque<Point> ends = new ArrayDeque<>();

    PartitionHistory(int window) {
        this.window = window;
    }

    /**
     * One sample: the committed offset, the lag, whether the consumer was working on the partition, and the
     * broker's end offsets ({@code -1} when unknown); {@code end} is what the lag is measured against.
     */
    record Sample(long time, long committed, long lag, long position, int inFlight, long end, long highWatermark,
            long lastStable) {

        /**
         * Whether the consumer read everything the last stable offset lets a {@code read_committed} reader have,
         * with more written beyond it: the lag is measured against the last stable offset (so the consumer reads
         * {@code read_committed}), the position is there, nothing is in flight, and the high-water mark is above it.
         */
        boolean atLastStableBelowHighWatermark() {
            return this.lastStable >= 0 && this.end == this.lastStable && atEnd() && this.highWatermark > this.lastStable;
        }

        /** Whether the position was at the end offset with nothing in flight: nothing left to read or finish. */
        private boolean atEnd() {
            return this.position == this.end && this.inFlight == 0;
        }
    }

    /** The end offset seen at a time. */
    record Point(long time, long offset) {
    }

    /**
     * Adds a sample and evaluates the window.
     *
     * @param container the container's name
     * @param snapshot  the partition now
     * @param now       the sample time, in epoch milliseconds, later than the previous one
     * @return the lag as of this sample
     */
    PartitionLag add(String container, PartitionSnapshot snapshot, long now) {
        OptionalLong committed = snapshot.committed();
        OptionalLong lag = snapshot.lag();
        if (committed.isEmpty() || lag.isEmpty()) {
            // nothing committed yet (a new assignment, or a seek not yet committed): no lag to judge
            return new PartitionLag(container, snapshot.partition(), committed, OptionalLong.empty(), OptionalLong.empty(),
                    OptionalLong.empty(), LagStatus.OK, now, this.samples.size());
        }
        long end = committed.getAsLong() + lag.getAsLong();
        addEnd(now, end);
        this.samples.addLast(new Sample(now, committed.getAsLong(), lag.getAsLong(), snapshot.position().orElse(-1),
                snapshot.inFlight(), end, snapshot.highWatermark().orElse(-1), snapshot.lastStableOffset().orElse(-1)));
        while (this.samples.size() > this.window) {
            this.samples.removeFirst();
        }
        return new PartitionLag(container, snapshot.partition(), committed, OptionalLong.of(end), lag,
                timeLag(committed.getAsLong(), now), status(), now, this.samples.size());
    }

    /**
     * Adds to the table of end offsets as kafka-lag-exporter does: times must increase, an end offset that
     * went back (a truncated log) starts the table afresh, and a run of equal offsets keeps its first and last
     * point only, so that a quiet partition does not push its history out of the table.
     */
    private void addEnd(long now, long offset) {
        Point last = this.ends.peekLast();
        if (last != null && now <= last.time()) {
            return;
        }
        if (last != null && offset < last.offset()) {
            this.ends.clear();
        }
        if (this.ends.size() >= 2 && last.offset() == offset && secondLast().offset() == offset) {
            this.ends.removeLast();
        }
        this.ends.addLast(new Point(now, offset));
        while (this.ends.size() > this.window) {
            this.ends.removeFirst();
        }
    }

    private Point secondLast() {
        Iterator<Point> newestFirst = this.ends.descendingIterator();
        newestFirst.next();
        return newestFirst.next();
    }

    /**
     * Estimates when the end offset passed the committed offset, by interpolating between the two points
     * around it (or extrapolating from the oldest and newest when it lies outside the table): the first
     * record not yet committed was written then.
     */
    OptionalLong timeLag(long committed, long now) {
        Point newest = this.ends.peekLast();
        if (newest == null) {
            return OptionalLong.empty();
        }
        if (newest.offset() <= committed) {
            return OptionalLong.of(0);
        }
        if (this.ends.size() < 2) {
            return OptionalLong.empty();
        }
        List<Point> points = new ArrayList<>(this.ends);
        Point left = points.get(0);
        Point right = newest;
        for (int i = points.size() - 1; i > 0; i--) {
            Point l = points.get(i - 1);
            Point r = points.get(i);
            if (l.offset() <= committed && committed <= r.offset()) {
                left = l;
                right = r;
                break;
            }
        }
        long offsets = right.offset() - left.offset();
        double predicted = (offsets == 0) ? left.time()
                : right.time() - (double) (right.offset() - committed) * (right.time() - left.time()) / offsets;
        return OptionalLong.of(Math.max(0, Math.round(now - predicted)));
    }

    /**
     * Burrow's rules, in Burrow's order, over a full window, after the one Burrow has not: a partition held by an
     * open transaction, judged first because its lag against the last stable offset is usually 0 (which Burrow
     * calls OK) and otherwise a commit or two short of it (which Burrow would call STOP); see {@link LagStatus}.
     */
    LagStatus status() {
        Sample last = this.samples.peekLast();
        if (last == null || this.samples.size() < this.window) {
            return LagStatus.OK;
        }
        if (held()) {
            return LagStatus.HELD;
        }
        if (last.lag() == 0) {
            return LagStatus.OK;
        }
        Sample first = this.samples.peekFirst();
        boolean committedStill = this.samples.stream().allMatch((sample) -> sample.committed() == first.committed());
        boolean idle = this.samples.stream()
            .allMatch((sample) -> sample.position() == first.position() && sample.inFlight() == 0);
        if (committedStill && idle) {
            return LagStatus.STOP;
        }
        if (rewound()) {
            return LagStatus.REWIND;
        }
        if (this.samples.stream().anyMatch((sample) -> sample.lag() == 0)) {
            return LagStatus.OK;
        }
        if (committedStill) {
            return LagStatus.STALL;
        }
        return growing() ? LagStatus.WARN : LagStatus.OK;
    }

    /**
     * Whether every sample of the window found the consumer at the same last stable offset with more written
     * beyond it: a transaction open for the whole window. A last stable offset that moved, even while some
     * transaction was open at every sample, is transactions committing one after the other, not a held partition.
     */
    private boolean held() {
        Sample first = this.samples.peekFirst();
        return this.samples.stream()
            .allMatch((sample) -> sample.atLastStableBelowHighWatermark() && sample.lastStable() == first.lastStable());
    }

    /** Whether the committed offset went back at some sample and no later sample came back to where it was. */
    private boolean rewound() {
        List<Sample> window = new ArrayList<>(this.samples);
        for (int i = 1; i < window.size(); i++) {
            long before = window.get(i - 1).committed();
            if (window.get(i).committed() < before) {
                boolean recovered = window.subList(i + 1, window.size()).stream()
                    .anyMatch((sample) -> sample.committed() >= before);
                if (!recovered) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the lag never fell within the window and ends higher than it began. */
    private boolean growing() {
        long previous = -1;
        for (Sample sample : this.samples) {
            if (sample.lag() < previous) {
                return false;
            }
            previous = sample.lag();
        }
        return this.samples.peekLast().lag() > this.samples.peekFirst().lag();
    }

}
