package dev.kafkaconsumer.core.internal.container;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.apache.kafka.common.TopicPartition;

/**
 * Decides when each unit of work may run: one at a time per lane (a partition, or a key), and at most
 * {@code concurrency} at once. Work behind a busy lane waits in that lane; ready work beyond the
 * concurrency waits in a FIFO queue. A work waiting for a retry keeps its lane but not its slot.
 *
 * <p>Threads: the dispatcher submits; workers finish and suspend works, and run the works they start while
 * finishing their own; the timer resumes; the threads that complete asynchronous stages proceed; the
 * threads that close partitions drop queued works. Its monitor is a leaf lock: works are handed to the
 * workers' executor under it, but the runner never runs under it.
 */
final class WorkScheduler {

    private final int concurrency;
    private final Executor workers;
    private final Consumer<Work> runner;
    /** Busy lanes, with the work queued behind the one that holds the lane. */
    private final Map<Object, ArrayDeque<Work>> lanes = new HashMap<>();
    private final ArrayDeque<Work> ready = new ArrayDeque<>();
    /**
     * Work that a worker thread started while finishing its own (the next of its lane, or of the ready
     * queue): it runs on that thread right after, instead of being handed to another worker. A hand-off
     * per record would cost more than a cheap handler.
     */
    private final ThreadLocal<ArrayDeque<Work>> continuations = new ThreadLocal<>();
    private int running;

    WorkScheduler(int concurrency, Executor workers, Consumer<Work> runner) {
        this.concurrency = concurrency;
        this.workers = workers;
        this.runner = runner;
    }

    /**
     * Submits works in their order under one hold of this monitor: a dispatcher that hands over what it took at
     * once does not contend with the workers for the monitor once per record.
     */
    synchronized void submitAll(List<? extends Work> works) {
        for (Work work : works) {
            enqueue(work);
        }
    }

    private void enqueue(Work work) {
        if (work.lane != null) {
            ArrayDeque<Work> queued = lanes.get(work.lane);
            if (queued != null) {
                queued.addLast(work);
                return;
            }
            lanes.put(work.lane, new ArrayDeque<>());
        }
        makeReady(work);
    }

    private void makeReady(Work work) {
        if (running < concurrency) {
            running++;
            launch(work);
        } else {
            ready.addLast(work);
        }
    }

    /**
     * Runs a work that holds a slot: on this worker thread once its current work returns, else on another. A worker
     * keeps one such work at a time: one that takes records and submits them (a share container's worker) hands
     * the others, which hold slots of their own, to idle workers.
     */
    private void launch(Work work) {
        ArrayDeque<Work> continuation = continuations.get();
        if (continuation != null && continuation.isEmpty()) {
            continuation.addLast(work);
        } else {
            workers.execute(() -> runOnThisWorker(work, null));
        }
    }

    /**
     * Runs {@code task} on this thread when it is a worker's, else on a worker; either way the works it submits that
     * may start at once start on that worker (the first right after the task, on the same thread), as a worker's own
     * continuation would. A share container takes records so: on the worker that made room for them, or on one woken
     * when records came.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the workers are shut down (the container stops)
     */
    void onWorker(Runnable task) {
        if (continuations.get() != null) {
            task.run();
        } else {
            workers.execute(() -> runOnThisWorker(null, task));
        }
    }

    private void runOnThisWorker(Work first, Runnable task) {
        ArrayDeque<Work> continuation = new ArrayDeque<>();
        continuations.set(continuation);
        try {
            if (task != null) {
                task.run();
            }
            Work next = first != null ? first : continuation.pollFirst();
            while (next != null) {
                runner.accept(next);
                next = continuation.pollFirst();
            }
        } finally {
            continuations.remove();
        }
    }

    /** The work is over (done, recovered, or given up): its slot and its lane go to the next. */
    synchronized void finished(Work work) {
        running--;
        releaseLane(work);
        startReady();
    }

    /** The work waits for a retry: it keeps its lane and gives its slot up. */
    synchronized void suspend(Work work) {
        running--;
        startReady();
    }

    /** A work's handler completed asynchronously: the work goes on with its lane and slot. */
    void proceed(Work work) {
        launch(work);
    }

    /** The retry of a suspended work is due. */
    synchronized void resume(Work work) {
        makeReady(work);
    }

    private void releaseLane(Work work) {
        if (work.lane == null) {
            return;
        }
        ArrayDeque<Work> queued = lanes.get(work.lane);
        Work next = queued == null ? null : queued.pollFirst();
        if (next == null) {
            lanes.remove(work.lane);
        } else {
            makeReady(next);
        }
    }

    private void startReady() {
        while (running < concurrency && !ready.isEmpty()) {
            running++;
            launch(ready.pollFirst());
        }
    }

    /**
     * Removes the work of these partitions that has not started (queued in lanes or ready); work that is
     * running or waiting for a retry stays, for the caller to wait for or cancel.
     *
     * @return the removed work
     */
    synchronized List<Work> dropQueued(Collection<TopicPartition> partitions) {
        List<Work> dropped = new ArrayList<>();
        List<Object> lanesOfDroppedReady = new ArrayList<>();
        for (Iterator<Work> it = ready.iterator(); it.hasNext();) {
            Work work = it.next();
            if (partitions.contains(work.partition)) {
                it.remove();
                dropped.add(work);
                if (work.lane != null) {
                    lanesOfDroppedReady.add(work.lane);
                }
            }
        }
        for (ArrayDeque<Work> queued : lanes.values()) {
            for (Iterator<Work> it = queued.iterator(); it.hasNext();) {
                Work work = it.next();
                if (partitions.contains(work.partition)) {
                    it.remove();
                    dropped.add(work);
                }
            }
        }
        // a dropped ready work held its lane; lanes carry the partition, so nothing else queues there
        for (Object lane : lanesOfDroppedReady) {
            ArrayDeque<Work> queued = lanes.get(lane);
            if (queued != null && queued.isEmpty()) {
                lanes.remove(lane);
            }
        }
        return dropped;
    }
}
