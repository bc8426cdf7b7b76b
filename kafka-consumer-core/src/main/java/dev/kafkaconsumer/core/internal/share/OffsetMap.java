package dev.kafkaconsumer.core.internal.share;

import java.util.Arrays;

/**
 * The records of one partition by offset: an open-addressing map from {@code long} to a value, without a boxed key or
 * an entry object per record. The share engine's I/O thread looks up every record it takes in, acknowledges and hears
 * back about by its partition and offset; with a {@code HashMap} keyed by partition and offset, that was an object
 * key, a node and a hash per record and per lookup, a large part of the I/O thread's time in a drain.
 *
 * <p>Linear probing, deletion by backward shift (no tombstones), capacity a power of two kept at most half full.
 *
 * <p>Threads: one (the I/O thread); not thread-safe.
 *
 * @param <T> the value type
 */
final class OffsetMap<T> {

    private static final int MIN_CAPACITY = 16;

    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;

    OffsetMap() {
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The value of {@code offset}, or {@code null}. */
    @SuppressWarnings("unchecked")
    T get(long offset) {
        for (int i = slot(offset); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == offset) {
                return (T) values[i];
            }
        }
        return null;
    }

    /**
     * Maps {@code offset} to {@code value} (not null).
     *
     * @return the value it replaced, or {@code null}
     */
    @SuppressWarnings("unchecked")
    T put(long offset, T value) {
        int i = slot(offset);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == offset) {
                T previous = (T) values[i];
                values[i] = value;
                return previous;
            }
        }
        keys[i] = offset;
        values[i] = value;
        if (++size > (mask + 1) >> 1) {
            grow();
        }
        return null;
    }

    /**
     * Removes the value of {@code offset}.
     *
     * @return it, or {@code null} when there was none
     */
    @SuppressWarnings("unchecked")
    T remove(long offset) {
        int i = slot(offset);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == offset) {
                T removed = (T) values[i];
                shiftBack(i);
                size--;
                return removed;
            }
        }
        return null;
    }

    /** Empties the map. */
    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    /** Calls {@code action} with each value, in no particular order; the map must not change meanwhile. */
    @SuppressWarnings("unchecked")
    void forEach(java.util.function.Consumer<? super T> action) {
        for (Object value : values) {
            if (value != null) {
                action.accept((T) value);
            }
        }
    }

    /** Fills the hole at {@code hole} with the entries after it that probed past it, so that lookups stop at no gap. */
    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (values[i] == null) {
                break;
            }
            int home = slot(keys[i]);
            // the entry at i may move to the hole unless its home lies cyclically in (hole, i]
            boolean homeBetween = hole <= i ? hole < home && home <= i : hole < home || home <= i;
            if (!homeBetween) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        values[hole] = null;
    }

    /**
     * The offset's home slot: its low bits. The offsets held at once lie in a window of a few thousand, mostly
     * consecutive, so they land in distinct, neighbouring slots, a cache line for several records; with a scattering hash
     * (a likely cache miss per record) {@code put} was among the I/O thread's top frames in a JFR profile of B9.
     */
    private int slot(long offset) {
        return (int) offset & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(values.length * 2);
        for (int j = 0; j < oldValues.length; j++) {
            if (oldValues[j] != null) {
                int i = slot(oldKeys[j]);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }
}
