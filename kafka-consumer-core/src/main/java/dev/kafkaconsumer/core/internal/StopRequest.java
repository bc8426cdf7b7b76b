package dev.kafkaconsumer.core.internal;

import java.time.Duration;

/**
 * Whether the engine was asked to stop, and how long the consumer may then take to close. Written by the
 * thread that stops the engine (any thread), read by the I/O thread; volatile fields, no lock.
 */
final class StopRequest {

    private volatile Duration closeTimeout = Duration.ofSeconds(30);
    private volatile boolean requested;

    /** Asks the I/O thread to stop, closing the consumer within {@code timeout}. */
    void request(Duration timeout) {
        closeTimeout = timeout;
        requested = true;
    }

    /** Whether a stop was asked for. */
    boolean requested() {
        return requested;
    }

    Duration closeTimeout() {
        return closeTimeout;
    }
}
