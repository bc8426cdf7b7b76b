/**
 * The container behind {@code ConsumerContainer}: takes raw records from its engine, runs handlers on workers by
 * lane (partition, key or none), retries and recovers, and commits each partition's done prefix only. And the share
 * container behind {@code ShareConsumerContainer}, built of the same parts but the take loop and what a record comes
 * to: acknowledgements to its share group instead of offsets.
 *
 * <h2>Parts, each the one owner of its state</h2>
 * <ul>
 * <li>{@link dev.kafkaconsumer.core.internal.container.ContainerRuntime}: wires the parts; runs start, stop, pause,
 * resume and seeks. It never names the public {@code ConsumerContainer}.</li>
 * <li>{@link dev.kafkaconsumer.core.internal.container.ContainerLifecycle}: the container's state; every legal
 * transition is in its one table.</li>
 * <li>{@link dev.kafkaconsumer.core.internal.container.Dispatcher}: the take loop, and the dispatch lock under which
 * partitions open and close; {@link dev.kafkaconsumer.core.internal.container.TakeGenerations} drops records handed
 * out before their partition closed. Between takes it moves each partition's offset to commit past the offsets
 * without records (transaction markers, aborted records) that the engine's position passed.</li>
 * <li>{@link dev.kafkaconsumer.core.internal.container.RecordPipeline}: cuts a take into
 * {@link dev.kafkaconsumer.core.internal.container.Work}s by lane, counts them
 * {@link dev.kafkaconsumer.core.internal.container.InFlight}, hands them to the
 * {@link dev.kafkaconsumer.core.internal.container.WorkRunner}, whose
 * {@link dev.kafkaconsumer.core.internal.container.WorkScheduler} decides when each may run. Calls go one way.</li>
 * <li>{@link dev.kafkaconsumer.core.internal.container.OffsetTracker}: every partition's
 * {@link dev.kafkaconsumer.core.internal.container.PartitionProgress} (taken, done, committed);
 * {@link dev.kafkaconsumer.core.internal.container.Committer} commits from it,
 * {@link dev.kafkaconsumer.core.internal.container.Snapshots} read it.</li>
 * <li>{@link dev.kafkaconsumer.core.internal.container.RebalanceHandler}: revocations wait for running work and
 * commit; losses drop at once; assignments start a progress.</li>
 * <li>{@link dev.kafkaconsumer.core.internal.container.Recovery},
 * {@link dev.kafkaconsumer.core.internal.container.ProcessingWatchdog},
 * {@link dev.kafkaconsumer.core.internal.container.Listeners}: recoverers, processing timeouts, listeners.</li>
 * <li>{@link dev.kafkaconsumer.core.internal.container.ContainerEngine}: what the container uses of its engine (its
 * core, with a take that bounds each partition's records in flight), so that tests give it a stand-in without a
 * broker.</li>
 * <li>{@link dev.kafkaconsumer.core.internal.container.RecordOutcomes}: what a record the runner ran comes to;
 * {@link dev.kafkaconsumer.core.internal.container.CommitOutcomes} for the container that commits (its progress, its
 * {@code Recovery}), {@link dev.kafkaconsumer.core.internal.container.ShareOutcomes} for the share container.
 * {@link dev.kafkaconsumer.core.internal.container.ContainerResources}: the threads both start and release.</li>
 * </ul>
 *
 * <h2>The transactional container</h2>
 * A container built with {@code transactional(...)} runs the same parts with three more, and
 * {@link dev.kafkaconsumer.core.internal.container.TransactionalCommitter} in place of the {@code Committer} (both
 * are {@link dev.kafkaconsumer.core.internal.container.Commits}):
 * {@link dev.kafkaconsumer.core.internal.container.TransactionalOutcomes} gives each handler call a
 * {@link dev.kafkaconsumer.core.internal.container.RecordOutputs} (the handler's sender) and keeps its outputs, and a
 * dead letter of a {@link dev.kafkaconsumer.core.internal.container.DeadLetterSource}, in
 * {@link dev.kafkaconsumer.core.internal.container.PendingOutputs} before the record is marked done; the committer
 * takes each partition's done prefix and exactly those records' outputs into one transaction with the prefix's
 * offsets and the group metadata. A failed transaction is aborted and its partitions rewound
 * ({@code ContainerRuntime#rewind}: progress dropped, seek to the committed offsets, as a seek does). Outputs are
 * kept by {@code PartitionProgress} (by identity), so those of a progress that a revocation, a loss, a seek or a
 * rewind replaced are never sent. {@link dev.kafkaconsumer.core.internal.container.TransactionalContainers} holds
 * what is decided at build time (refused settings, the processor);
 * {@link dev.kafkaconsumer.core.internal.container.TransactionalProducers} makes the producer.
 *
 * <h2>The share container</h2>
 * {@link dev.kafkaconsumer.core.internal.container.ShareContainerRuntime} wires the same {@code ContainerLifecycle},
 * {@code InFlight} bound, {@code WorkRunner} (retries, interceptors, watchdog) and {@code Listeners}; its workers take
 * records themselves (when room comes back in flight, or when the engine says records came; its dispatcher thread
 * only starts the engine and takes every 100 ms as a safety net) and make each record taken from its
 * {@link dev.kafkaconsumer.core.internal.container.ShareContainerEngine} a
 * {@link dev.kafkaconsumer.core.internal.container.ShareDelivery} (a {@code Work} of one record, and its
 * acknowledgement), which the runner runs with no lane; {@code ShareOutcomes} accepts, releases, or recovers and
 * rejects it. There is no offset tracker, committer or rebalance handler. A delivery's monitor is a leaf lock.
 *
 * <h2>Threads</h2>
 * <table>
 * <caption>Who runs what in a container</caption>
 * <tr><th>Thread</th><th>Runs</th></tr>
 * <tr><td>application threads</td><td>start, stop, pause, resume, seek, snapshots</td></tr>
 * <tr><td>{@code kafka-consumer-dispatch-<container>}</td><td>the engine's start, then the take loop: takes without a
 * lock, tracks under the dispatch lock, dispatches; in a share container, a take every 100 ms as a safety net (its
 * workers take)</td></tr>
 * <tr><td>{@code kafka-consumer-worker-<container>-<n>}</td><td>works: deserializing, handler calls and their
 * retries, recoveries; a worker runs the works it makes ready itself; in a share container, the takes from the
 * engine</td></tr>
 * <tr><td>{@code kafka-consumer-timer-<container>}</td><td>commits by time, resuming works whose back-off is over</td></tr>
 * <tr><td>{@code kafka-consumer-io-<container>}</td><td>the rebalance handler (with the engine's contracts: calls
 * back into the engine run inline)</td></tr>
 * <tr><td>{@code kafka-consumer-watchdog-<container>}</td><td>the processing timeout</td></tr>
 * <tr><td>{@code kafka-consumer-stop-<container>}</td><td>the stop of a failed container</td></tr>
 * <tr><td>{@code kafka-consumer-txn-<container>}</td><td>a transactional container's transactions by time and when
 * {@code maxRecordsPerTransaction} records are pending, and the rewinds after an abort. The producer is used by one
 * thread at a time, under the committer's lock: this one, the I/O thread (the commit of a revocation), a seek's
 * thread and the stopper (the final commit)</td></tr>
 * </table>
 *
 * <h2>Lock order</h2>
 * {@code ContainerRuntime.startStop} is never held with another lock of the container. {@code ContainerRuntime.seekLock}
 * (one seek at a time), then the dispatch lock ({@code Dispatcher}), then the leaf locks: the monitors of
 * {@code PartitionProgress}, {@code WorkScheduler} and {@code ContainerLifecycle}, and {@code InFlight}'s lock. No lock
 * is held while waiting for records to finish or for the engine to hand out records. A transactional container's
 * committer lock ({@code TransactionalCommitter.lock}, around each transaction) is taken with no other container lock
 * held and before the leaf locks; whoever holds it never waits for the engine's I/O thread, which takes it in a
 * revocation: the group metadata is read before it, and rewinds (which call the engine) run outside it. The engine's own locks (see
 * {@code dev.kafkaconsumer.core.internal}) are taken only through its core's methods. One of them comes from a thread
 * that releases records: when a partition that a take left out has room again, {@code InFlight} wakes the waiting take
 * ({@code RecordAccess.roomChanged}), which takes the engine's buffers lock, innermost, even under the dispatch lock (a
 * revocation drops queued works under it); under that lock the engine calls nothing of the container but
 * {@code InFlight.partitionRoom}, which takes no lock.
 */
package dev.kafkaconsumer.core.internal.container;
