package dev.kafkaconsumer.core.internal.container;

import java.util.TreeSet;

/**
 * What a container has taken, finished and committed of one partition in one assignment. Records are
 * dispatched in offset order; they may finish in any order (KEY and UNORDERED), so the offset to commit
 * is the lowest record not yet done, or the offset after the last dispatched one when all are done.
 * Thread-safe.
 */
final class PartitionProgress {

    private final TreeSet<Long> undone = new TreeSet<>();
    private long next;
    private long committed = -1;
    private int inFlight;

    /** Progress of a newly assigned partition: nothing to commit before the first dispatch. */
    PartitionProgress() {
        this(-1);
    }

    /**
     * Progress that starts at a position chosen by a seek: that position is the offset to commit
     * until records are dispatched, so a restart resumes there even when nothing arrives.
     */
    PartitionProgress(long start) {
        this.next = start;
    }

    synchronized void dispatched(long offset) {
        undone.add(offset);
        next = offset + 1;
        inFlight++;
    }

    /** The record is done: handled, acknowledged or recovered. */
    synchronized void done(long offset) {
        undone.remove(offset);
    }

    /** Records' handling finished, done or not (dropped on revocation, or left unacknowledged). */
    synchronized void finished(int records) {
        inFlight -= records;
        notifyAll();
    }

    /** The offset below which every dispatched record is done, or -1 before the first dispatch. */
    synchronized long commitOffset() {
        return undone.isEmpty() ? next : undone.first();
    }

    /** The offset to commit if it moved since the last commit, else -1. */
    synchronized long uncommittedOffset() {
        long offset = commitOffset();
        return offset > committed ? offset : -1;
    }

    synchronized void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    synchronized long lastCommitted() {
        return committed;
    }

    synchronized int inFlight() {
        return inFlight;
    }

    /** Waits until no record of the partition is in flight, or the deadline passes. */
    synchronized boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        while (inFlight > 0) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            wait(Math.max(1, remaining / 1_000_000));
        }
        return true;
    }
}
