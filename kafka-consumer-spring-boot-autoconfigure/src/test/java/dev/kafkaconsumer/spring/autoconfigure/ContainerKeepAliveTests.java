package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.kafkaconsumer.spring.RecordHandler;

/**
 * The thread that keeps an application with containers alive until its context closes, without a broker:
 * the containers do not start ({@code kafka.consumer.auto-startup=false}), so only the keep-alive thread can
 * hold the JVM.
 */
class ContainerKeepAliveTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class))
        .withPropertyValues("kafka.consumer.bootstrap-servers=localhost:9092", "kafka.consumer.group-id=app",
                "kafka.consumer.auto-startup=false");

    @Test
    void keepsTheApplicationAliveWithANonDaemonThreadUntilTheContextCloses() {
        Set<Thread> before = Set.copyOf(keepAliveThreads());
        AtomicReference<Thread> started = new AtomicReference<>();
        this.contextRunner.withUserConfiguration(Handlers.class).run((context) -> {
            assertThat(context).hasSingleBean(ConsumerContainerLifecycle.class);
            List<Thread> threads = keepAliveThreads().stream().filter((thread) -> !before.contains(thread)).toList();
            assertThat(threads).singleElement().satisfies((thread) -> {
                assertThat(thread.isAlive()).isTrue();
                assertThat(thread.isDaemon()).isFalse();
                started.set(thread);
            });
            assertThat(context.getBean(ContainerKeepAlive.class).isRunning()).isTrue();
            assertThat(context.getBean(ConsumerContainerLifecycle.class).isRunning())
                .as("no container runs, yet the application is kept alive")
                .isFalse();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> !started.get().isAlive());
    }

    @Test
    void keepsAnApplicationWhoseOnlyContainersAreShareContainersAlive() {
        this.contextRunner.withUserConfiguration(ShareHandlers.class).run((context) -> {
            assertThat(context).doesNotHaveBean(ConsumerContainerLifecycle.class)
                .hasSingleBean(ShareConsumerContainerLifecycle.class);
            assertThat(context.getBean(ContainerKeepAlive.class).isRunning()).isTrue();
        });
    }

    @Test
    void doesNotKeepAnApplicationWithoutContainersAlive() {
        Set<Thread> before = Set.copyOf(keepAliveThreads());
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(ContainerKeepAlive.class);
            assertThat(context.getBean(ContainerKeepAlive.class).isRunning()).isFalse();
            assertThat(keepAliveThreads()).allMatch(before::contains);
        });
    }

    @Test
    void keepsTheApplicationAliveUntilTheContainersHaveStopped() {
        StopProbe probe = new StopProbe();
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withBean(StopProbe.class, () -> probe)
            .run((context) -> assertThat(context.getBean(ContainerKeepAlive.class).isRunning()).isTrue());
        assertThat(probe.stopped).isTrue();
        assertThat(probe.keepAliveRunningAtStop).as("the keep-alive ran while the containers' phase stopped").isTrue();
    }

    @Test
    void drainsEachContainerOnANonDaemonThreadWhateverThreadStopsTheContext() {
        this.contextRunner.withUserConfiguration(Handlers.class).run((context) -> {
            ConsumerContainerLifecycle container = context.getBean(ConsumerContainerLifecycle.class);
            AtomicReference<Thread> drainedOn = new AtomicReference<>();
            Thread closer = new Thread(() -> container.stop(() -> drainedOn.set(Thread.currentThread())), "closer");
            closer.setDaemon(true);
            closer.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> drainedOn.get() != null);
            assertThat(drainedOn.get().getName()).isEqualTo("kafka-consumer-stop-orders");
            assertThat(drainedOn.get().isDaemon()).isFalse();
        });
    }

    private static List<Thread> keepAliveThreads() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter((thread) -> thread.isAlive() && thread.getName().equals(ContainerKeepAlive.THREAD_NAME))
            .toList();
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {

        @Bean
        Handler handler() {
            return new Handler();
        }

    }

    static class Handler {

        @RecordHandler(id = "orders", topics = "orders")
        void onOrder(String order) {
        }

    }

    /**
     * Stops in the containers' phase and notes whether the keep-alive still ran then. It looks the keep-alive
     * up rather than depending on it: Spring stops a bean's dependents first, whatever their phase.
     */
    static class StopProbe implements SmartLifecycle, ApplicationContextAware {

        private @Nullable ApplicationContext context;

        private volatile boolean running;

        private volatile boolean stopped;

        private volatile boolean keepAliveRunningAtStop;

        @Override
        public void setApplicationContext(ApplicationContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            this.running = true;
        }

        @Override
        public void stop() {
            this.keepAliveRunningAtStop = this.context.getBean(ContainerKeepAlive.class).isRunning();
            this.stopped = true;
            this.running = false;
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }

        @Override
        public int getPhase() {
            return ConsumerContainerLifecycle.PHASE;
        }

    }

    static class ShareHandlers {

        @RecordHandler(id = "jobs", topics = "jobs", shareGroup = "workers")
        void onJob(String job) {
        }

    }

}
