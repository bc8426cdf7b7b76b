package dev.kafkaconsumer.core;

import dev.kafkaconsumer.core.internal.share.Acquisition;

/** Makes the application's view of a record for tests of the share engine's internals, as the engine's builder does. */
public final class TestViews {

    private TestViews() {
    }

    public static <K, V> AcquiredRecord<K, V> view(Acquisition<K, V> acquisition) {
        return new AcquiredRecord<>(acquisition);
    }
}
