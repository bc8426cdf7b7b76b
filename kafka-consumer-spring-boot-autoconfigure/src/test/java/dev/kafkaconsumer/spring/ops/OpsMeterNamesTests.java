package dev.kafkaconsumer.spring.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.actuate.autoconfigure.LagTrackerAutoConfiguration;
import dev.kafkaconsumer.spring.actuate.metrics.KafkaConsumerMetricsAutoConfiguration;
import dev.kafkaconsumer.spring.autoconfigure.KafkaConsumerAutoConfiguration;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Every metric name in the operators' kit (rule expressions, dashboard queries) against a real Prometheus scrape of
 * a container on the in-process broker that handled records, retried, dead-lettered one, committed and was
 * sampled by the lag tracker: a meter renamed, or a typo in the kit, fails the normal build, without Prometheus.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OpsMeterNamesTests {

    private static Set<String> scraped;

    @BeforeAll
    static void scrape(KafkaBroker kafka) {
        String topic = "ops-" + UUID.randomUUID();
        kafka.createTopic(topic, 2);
        kafka.createTopic(topic + ".DLT", 1);
        kafka.send(new StringSerializer(), new StringSerializer(), IntStream.range(0, 20)
            .mapToObj((i) -> new ProducerRecord<>(topic, i % 2, "k" + i, (i == 7) ? "bad" : "good")).toList());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, KafkaConsumerAutoConfiguration.class,
                    LagTrackerAutoConfiguration.class, KafkaConsumerMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, () -> registry)
            .withBean(Handler.class, Handler::new)
            .withPropertyValues("kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "kafka.consumer.group-id=ops-" + UUID.randomUUID(), "kafka.consumer.auto-offset-reset=earliest",
                    "kafka.consumer.commit-interval=100ms", "kafka.consumer.retry.max-attempts=2",
                    "kafka.consumer.retry.backoff.initial=10ms", "kafka.consumer.dead-letter.enabled=true",
                    "kafka.consumer.lag.sample-interval=100ms", "kafka.consumer.lag.window=3", "test.topic=" + topic)
            .run((context) -> {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    Set<String> names = names(registry.scrape());
                    return names.contains("kafka_consumer_recovered_total")
                            && names.contains("kafka_consumer_commits_total")
                            && names.contains("kafka_consumer_lag_status")
                            && names.contains("kafka_consumer_lag_time_seconds")
                            && names.contains("kafka_consumer_fetch_manager_records_consumed_total");
                });
                scraped = names(registry.scrape());
            });
    }

    @Test
    void theScrapeHasTheMetersTheRulesAreBuiltOn() {
        assertThat(scraped).contains("kafka_consumer_container_state", "kafka_consumer_lag_status",
                "kafka_consumer_lag_records", "kafka_consumer_lag_time_seconds", "kafka_consumer_records_in_flight",
                "kafka_consumer_handler_seconds_bucket");
    }

    @Test
    void everyRuleExpressionNamesOnlyMetersTheApplicationExportsOrRulesRecord() {
        Set<String> recorded = OpsFiles.rules().stream().filter((rule) -> rule.containsKey("record"))
            .map((rule) -> (String) rule.get("record")).collect(Collectors.toSet());
        for (var rule : OpsFiles.rules()) {
            Set<String> names = OpsFiles.metricNames((String) rule.get("expr"));
            if (rule.containsKey("alert")) {
                assertThat(names).as("metrics of %s", rule.get("alert")).isNotEmpty();
            }
            assertThat(names).as("metrics of %s, scraped: %s", rule, scraped)
                .allMatch((name) -> scraped.contains(name) || recorded.contains(name));
        }
    }

    @Test
    void everyDashboardQueryNamesOnlyMetersTheApplicationExports() {
        Set<String> queried = new TreeSet<>();
        for (String expr : GrafanaDashboardTests.queries(OpsFiles.dashboard())) {
            Set<String> names = OpsFiles.metricNames(expr);
            assertThat(names).as("metrics of %s", expr).isNotEmpty();
            assertThat(names).as("metrics of %s, scraped: %s", expr, scraped).isSubsetOf(scraped);
            queried.addAll(names);
        }
        assertThat(queried).as("a fetch panel of the kafka-clients metrics")
            .anyMatch((name) -> name.startsWith("kafka_consumer_fetch_manager_"));
    }

    /** The names of the samples of a Prometheus text exposition. */
    static Set<String> names(String exposition) {
        return exposition.lines()
            .filter((line) -> !line.isBlank() && !line.startsWith("#"))
            .map((line) -> line.split("[{ ]", 2)[0])
            .collect(Collectors.toCollection(TreeSet::new));
    }

    static class Handler {

        @RecordHandler(id = "ops", topics = "${test.topic}")
        void handle(String value) {
            if (value.equals("bad")) {
                throw new IllegalArgumentException("bad value");
            }
        }
    }

}
