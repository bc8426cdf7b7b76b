package dev.kafkaconsumer.core.internal.container;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a container's threads, each named for its container and its job, each logging an uncaught
 * exception; which are daemons decides whether a running container keeps its JVM alive. The dispatcher is
 * not: it is the container's own loop, alive from {@code start()} until the container stops or fails, so a
 * running container keeps the JVM alive as a poll loop on an application thread would, and a {@code main}
 * that starts a container and returns keeps consuming. The stopper of a failed container is not either: it
 * makes the final commit, which must not be cut short by the JVM's exit. Workers, the timer (commits on
 * schedule) and the watchdog are daemons: they serve the dispatcher, and a worker may be stuck in a handler
 * that ignores interruption, which must not hold the JVM after {@code stop()}. Virtual workers are daemons
 * by nature; the dispatcher is a platform thread. Stateless; called by the thread that starts or fails the
 * container.
 */
final class ContainerThreads {

    private static final Logger log = LoggerFactory.getLogger(ContainerThreads.class);

    private ContainerThreads() {
    }

    /** Threads named {@code <prefix>-<n>}, from 1. */
    static ThreadFactory named(String prefix, boolean daemon) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> thread(prefix + "-" + count.incrementAndGet(), daemon, runnable);
    }

    /** One thread, not started. */
    static Thread thread(String name, boolean daemon, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(daemon);
        thread.setUncaughtExceptionHandler((t, e) -> log.error("Thread {} died", t.getName(), e));
        return thread;
    }

    /** The workers: {@code concurrency} daemon threads {@code kafka-consumer-worker-<container>-<n>}, or virtual threads. */
    static ExecutorService workers(String container, int concurrency, boolean virtual) {
        if (virtual) {
            try {
                return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Container " + container + " asks for virtual threads, which need Java 21 or later; "
                        + "this is Java " + Runtime.version().feature(), e);
            }
        }
        return Executors.newFixedThreadPool(concurrency, named("kafka-consumer-worker-" + container, true));
    }
}
