package dev.kafkaconsumer.core;

/** The lifecycle of a {@link ConsumerContainer}. */
public enum ContainerState {

    /** Created, not started yet, or starting: joining the group. */
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
