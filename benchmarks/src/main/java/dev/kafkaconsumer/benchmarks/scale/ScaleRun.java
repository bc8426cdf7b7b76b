package dev.kafkaconsumer.benchmarks.scale;

import dev.kafkaconsumer.benchmarks.harness.DrainTiming;

/**
 * One measured B7 drain.
 *
 * @param timing            wall time and CPU of the drain
 * @param heapBytes         live heap after a full GC with the consumer still open and every partition assigned, minus the
 *                          live heap before it was made
 * @param assigned          partitions assigned when the heap was measured
 * @param violations        records that ran out of key order (must be 0)
 */
record ScaleRun(DrainTiming timing, long heapBytes, int assigned, long violations) {

    /** Heap per assigned partition, bytes; NaN when none was assigned. */
    double heapPerPartition() {
        return assigned == 0 ? Double.NaN : (double) heapBytes / assigned;
    }
}
