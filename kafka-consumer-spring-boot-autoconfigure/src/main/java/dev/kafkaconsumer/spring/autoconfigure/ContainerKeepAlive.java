package dev.kafkaconsumer.spring.autoconfigure;

import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps an application with consumer containers alive from the start of its context until the context
 * closes, as Spring Boot's {@code spring.main.keep-alive} does for any application: one thread, not a
 * daemon, {@value #THREAD_NAME}, that only waits. A worker (a {@code @RecordHandler} and no web server)
 * thereby lives until it is told to end, whatever its containers do: also while an operator has stopped
 * them all, while they wait for a start ({@code auto-startup} false) or after they failed, as an
 * application with a web server would. A running core container keeps the JVM alive by itself; this
 * bean covers the rest.
 *
 * <p>Its phase is just below the containers' phase, so it stops after every container has stopped and
 * made its final commit: a context closed from a daemon thread cannot let the JVM end while a container
 * drains. A JVM ended by a signal does not wait for it: Spring Boot's shutdown hook closes the context,
 * which stops the containers gracefully.
 */
final class ContainerKeepAlive implements SmartLifecycle {

    /** The name of the thread that keeps the application alive. */
    static final String THREAD_NAME = "kafka-consumer-keep-alive";

    private static final Logger log = LoggerFactory.getLogger(ContainerKeepAlive.class);

    private final ObjectProvider<ConsumerContainerLifecycle> containers;

    private final ObjectProvider<ShareConsumerContainerLifecycle> shareContainers;

    private @Nullable CountDownLatch release;

    ContainerKeepAlive(ObjectProvider<ConsumerContainerLifecycle> containers,
            ObjectProvider<ShareConsumerContainerLifecycle> shareContainers) {
        this.containers = containers;
        this.shareContainers = shareContainers;
    }

    /** Starts the thread, when the context has at least one container of either kind: one that has none may end. */
    @Override
    public synchronized void start() {
        if (this.release != null
                || (this.containers.stream().findAny().isEmpty() && this.shareContainers.stream().findAny().isEmpty())) {
            return;
        }
        CountDownLatch latch = new CountDownLatch(1);
        Thread thread = new Thread(() -> awaitRelease(latch), THREAD_NAME);
        thread.setDaemon(false);
        thread.setUncaughtExceptionHandler((t, ex) -> log.error("Thread {} died", t.getName(), ex));
        thread.start();
        this.release = latch;
    }

    private static void awaitRelease(CountDownLatch latch) {
        while (latch.getCount() > 0) {
            try {
                latch.await();
            }
            catch (InterruptedException ex) {
                // only stop() ends the thread: an interrupt meant for someone else must not end the application
            }
        }
    }

    @Override
    public synchronized void stop() {
        CountDownLatch latch = this.release;
        if (latch != null) {
            this.release = null;
            latch.countDown();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return this.release != null;
    }

    @Override
    public int getPhase() {
        return ConsumerContainerLifecycle.PHASE - 1;
    }

}
