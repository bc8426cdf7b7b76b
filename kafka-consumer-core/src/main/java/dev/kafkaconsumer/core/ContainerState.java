package dev.kafkaconsumer.core;

/**
 * The lifecycle of a {@link ConsumerContainer}: {@code NEW}, then {@code STARTING} on
 * {@link ConsumerContainer#start()}, {@code RUNNING} once its group is joined, {@code PAUSED} and back to
 * {@code RUNNING} on {@link ConsumerContainer#pause()} and {@link ConsumerContainer#resume()},
 * {@code STOPPING} and {@code STOPPED} on {@link ConsumerContainer#stop(java.time.Duration)}; {@code FAILED}
 * from any state before {@code STOPPED}. {@code STOPPED} and {@code FAILED} are final: a container starts
 * once, and a stopped or failed one is replaced by a new one.
 */
public enum ContainerState {

    /** Created, not started yet. A stop now leaves it {@link #STOPPED} without it ever starting. */
    NEW,

    /**
     * Started, joining its group (or, with partitions assigned by hand, taking them). A pause asked for now
     * holds once it has joined: it then goes to {@link #PAUSED}.
     */
    STARTING,

    /** Consuming and handling records. */
    RUNNING,

    /** Paused by {@link ConsumerContainer#pause()}: in the group, fetching and handling nothing new. */
    PAUSED,

    /** Finishing the records in flight before a final commit. */
    STOPPING,

    /** Stopped on purpose. */
    STOPPED,

    /** Stopped because something failed (see {@link ContainerSnapshot#failure()}): its I/O thread died, or a record could be neither handled nor recovered. */
    FAILED
}
