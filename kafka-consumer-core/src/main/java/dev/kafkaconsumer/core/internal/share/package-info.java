/**
 * The share engine behind {@code ShareConsumerEngine}: one I/O thread that owns the {@code KafkaShareConsumer} in
 * explicit acknowledgement mode, fed by a queue of typed commands, the same shape as the engine of
 * {@code dev.kafkaconsumer.core.internal}, whose {@code CallbackExecutor} and {@code Deadline} it uses.
 *
 * <h2>Parts</h2>
 * <ul>
 * <li>{@link dev.kafkaconsumer.core.internal.share.ShareEngineCore}: wires the parts, owns the lifecycle and the
 * subscription; {@link dev.kafkaconsumer.core.internal.share.ShareEngineConfig}: the configuration.</li>
 * <li>{@link dev.kafkaconsumer.core.internal.share.ShareIoLoop}: the I/O thread. Each turn applies the commands of the
 * {@link dev.kafkaconsumer.core.internal.share.Inbox} ({@link dev.kafkaconsumer.core.internal.share.ShareCommand}s:
 * acknowledgements, subscription changes), renews and expires locks, and polls or sends acknowledgements.</li>
 * <li>{@link dev.kafkaconsumer.core.internal.share.ReadyRecords}: records polled and not yet taken, the gets that wait
 * for them, and whether the application wants records (the I/O thread polls only then).</li>
 * <li>{@link dev.kafkaconsumer.core.internal.share.Acquisition}: one delivery of a record, settled once (final
 * acknowledgement, expiry or stop), behind the public {@code AcquiredRecord}; a final acknowledgement is queued as the
 * record itself, with a future only when its caller holds one (the public API; a share container holds none).</li>
 * <li>{@link dev.kafkaconsumer.core.internal.share.HeldRecords}: each held record as the consumer sees it (in flight,
 * marked, renewing) and its lock, kept per poll and partition in a
 * {@link dev.kafkaconsumer.core.internal.share.PolledBatch} (found from the record itself, or by an index into the
 * batch, never by a map of offsets; {@link dev.kafkaconsumer.core.internal.share.PolledBatches} by partition);
 * {@link dev.kafkaconsumer.core.internal.share.Confirmations}: the consumer's commit callback, which answers what was
 * sent and counts it by type; {@link dev.kafkaconsumer.core.internal.share.ShareEvents} reports to the counters
 * ({@link dev.kafkaconsumer.core.internal.share.ShareTally}), the log and the listener.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * <table>
 * <caption>Who runs what in the share engine</caption>
 * <tr><th>Thread</th><th>Runs</th></tr>
 * <tr><td>caller threads (any)</td><td>{@code ShareEngineCore} and {@code ReadyRecords}: take records, register
 * asynchronous gets, queue subscription changes and wait for them within {@code default.api.timeout.ms};
 * {@code Acquisition.acknowledge}: settle a record and queue its acknowledgement</td></tr>
 * <tr><td>{@code kafka-consumer-share-io-<client.id>}</td><td>{@code ShareIoLoop}, {@code HeldRecords},
 * {@code Confirmations} (the commit callback, inside poll and commits), {@code ShareEvents}: the only thread that
 * touches the consumer</td></tr>
 * <tr><td>{@code kafka-consumer-callbacks-<client.id>}</td><td>completion of asynchronous gets and of acknowledgements;
 * expiry of timed asynchronous gets; the {@code ShareEngineListener}</td></tr>
 * </table>
 *
 * <h2>Lock order</h2>
 * {@code ShareEngineCore}'s lock (state and subscription; commands are queued on the {@code Inbox} under it, never
 * awaited) comes first. {@code ReadyRecords}' lock comes before a record's own monitor ({@code Acquisition}, taken to hand it out), which
 * comes before the {@code Inbox}'s monitor (an acknowledgement is queued under the record's monitor, so that the I/O
 * thread, settling a record under the same monitor, finds every acknowledgement made before in the queue); the
 * {@code Inbox}'s monitor is innermost. The I/O thread holds none of them across a consumer call.
 *
 * <p>Time comes from one {@code org.apache.kafka.common.utils.Time}, so tests turn the loop with a clock they move.
 */
package dev.kafkaconsumer.core.internal.share;
