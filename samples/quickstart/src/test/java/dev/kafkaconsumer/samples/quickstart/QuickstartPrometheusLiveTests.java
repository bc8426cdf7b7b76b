package dev.kafkaconsumer.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.kafkaconsumer.test.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The operators' kit of {@code ops/} against the real thing: the quickstart on its development broker, scraped every
 * second by a real Prometheus (Debian's {@code prometheus}, a process of the test) that loads the kit's alert rules.
 * Every query of the Grafana dashboard and every rule Prometheus loaded must return series of the running container
 * (for an alert: what it compares with its threshold, and each selector in it), a healthy container must fire no
 * alert, the lag must rise while the handler is slow and fall when it catches up (drawn as
 * {@code target/ops-live/lag-and-time-lag.svg}), a blocked handler must fire the STALL alert in Prometheus's own
 * alerts API, which must resolve when the handler resumes, and the dashboard's queries must still return series once
 * the kafka-clients meters are per topic. Prometheus's data stays in {@code target/ops-live/data} for graphs of the
 * run.
 *
 * <p>The handler is the quickstart's own; {@link HandlerBrake}, an interceptor added by the test, slows it, holds it
 * and fails two records on every attempt so that the retry and dead-letter meters exist. The rules are the kit's,
 * with one change: {@code KafkaConsumerPartitionStalled} holds for 10 s instead of 5 min. The lag is sampled every
 * second over a window of 5, and commits every second, so that a minute of run shows what hours would.
 *
 * <p>Not part of the normal build (surefire leaves {@code *LiveTests} out): {@code mvn -B -Pops-live -pl
 * samples/quickstart -am test}, which installs the {@code prometheus} package first when it is missing; skipped,
 * saying so, when it cannot be found. The tests share one run and go in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickstartPrometheusLiveTests {

    private static final Logger log = LoggerFactory.getLogger(QuickstartPrometheusLiveTests.class);

    private static final String CONTAINER = "orders";

    private static final String STALL_ALERT = "KafkaConsumerPartitionStalled";

    private static final String LAG = "sum(kafka_consumer_lag_records{container=\"orders\"})";

    private static final String TIME_LAG = "max(kafka_consumer_lag_time_seconds{container=\"orders\"})";

    private static final Path DIR = Path.of("target/ops-live");

    private ConfigurableApplicationContext application;

    private HandlerBrake brake;

    private PrometheusServer prometheus;

    private List<String> ruleNames;

    @BeforeAll
    void startTheQuickstartAndPrometheus() throws IOException {
        assumeThat(PrometheusServer.installed())
            .as("prometheus on the PATH: Debian's prometheus package, which -Pops-live installs as root with apt-get")
            .isTrue();
        deleteRecursively(DIR);
        Files.createDirectories(DIR);
        this.application = SpringApplication.from(QuickstartApplication::main)
            .with(DevelopmentBroker.class, HandlerBrake.class)
            .run("--server.port=0", "--kafka.consumer.commit-interval=1s", "--kafka.consumer.lag.sample-interval=1s",
                    "--kafka.consumer.lag.window=5", "--kafka.consumer.dead-letter.enabled=true",
                    "--kafka.consumer.retry.max-attempts=2", "--kafka.consumer.retry.backoff.initial=10ms")
            .getApplicationContext();
        this.brake = this.application.getBean(HandlerBrake.class);
        this.application.getBean(KafkaBroker.class).createTopic(CONTAINER + ".DLT", 1);
        this.brake.poison(2);
        Path rules = DIR.resolve("kafka-consumer-rules.yml");
        this.ruleNames = OpsKit.copyRulesWithFor(rules, STALL_ALERT, "10s");
        String port = this.application.getEnvironment().getProperty("local.server.port");
        this.prometheus = PrometheusServer.start(DIR, "127.0.0.1:" + port, "/actuator/prometheus", rules);
        log.info("Prometheus at {} scrapes the quickstart at 127.0.0.1:{}", this.prometheus.url(), port);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(this.prometheus.targets())
            .singleElement().satisfies((target) -> assertThat(target.path("health").asString())
                .as("the scrape of %s", target).isEqualTo("up")));
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (this.brake != null) {
            this.brake.release();
        }
        if (this.application != null) {
            this.application.close();
        }
        if (this.prometheus != null) {
            try {
                // a failed scrape ends the application's series in the data left in target/ops-live (staleness
                // markers), so that a graph of the run drawn later ends where the run ended
                await().atMost(Duration.ofSeconds(30)).until(() -> value("up") == 0);
            }
            finally {
                this.prometheus.close();
            }
        }
    }

    @Test
    @Order(1)
    void everyQueryOfTheDashboardReturnsSeriesOfTheRunningContainer() {
        assertEveryQueryOfTheDashboardReturnsSeriesOfTheContainer();
    }

    private void assertEveryQueryOfTheDashboardReturnsSeriesOfTheContainer() {
        Map<String, String> queries = OpsKit.dashboardQueries(CONTAINER);
        assertThat(queries).hasSizeGreaterThanOrEqualTo(15);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            Map<String, String> missing = new LinkedHashMap<>();
            queries.forEach((panel, query) -> {
                if (!ofTheContainer(this.prometheus.query(query))) {
                    missing.put(panel, query);
                }
            });
            assertThat(missing).as("panels whose query has no series of container %s", CONTAINER).isEmpty();
        });
    }

    @Test
    @Order(2)
    void everyRuleWatchesSeriesOfTheRunningContainerAndAHealthyContainerFiresNoAlert() {
        // the rules as Prometheus loaded and parsed them: all of the file, evaluated every second
        assertThat(this.prometheus.rules()).extracting((rule) -> rule.path("name").asString())
            .containsExactlyInAnyOrderElementsOf(this.ruleNames)
            .contains(STALL_ALERT, "KafkaConsumerCommitsFailing", "kafka_consumer:lag_time_threshold_seconds");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            Map<String, String> missing = new LinkedHashMap<>();
            for (JsonNode rule : this.prometheus.rules()) {
                String name = rule.path("name").asString();
                assertThat(rule.path("health").asString()).as("health of %s: %s", name, rule.path("lastError"))
                    .isEqualTo("ok");
                if (rule.path("type").asString().equals("recording")) {
                    if (this.prometheus.query(name).isEmpty()) {
                        missing.put(name, name);
                    }
                    continue;
                }
                // an alert's expression is empty while all is well; what it compares with its threshold is not, and
                // neither is any selector in it (the "unless" side of the STALL alert, say)
                String expr = rule.path("query").asString();
                Stream.concat(Stream.of(OpsKit.watched(expr)), OpsKit.selectors(expr).stream())
                    .filter((query) -> !ofTheContainer(this.prometheus.query(query)))
                    .forEach((query) -> missing.put(name + ": " + query, query));
            }
            assertThat(missing).as("rule queries with no series of container %s", CONTAINER).isEmpty();
        });
        assertThat(this.prometheus.alerts()).as("alerts of a healthy container").isEmpty();
    }

    @Test
    @Order(3)
    void theLagRisesWhileTheHandlerIsSlowAndFallsBackWhenItCatchesUp() throws IOException {
        // 30 s of a healthy consumer in Prometheus first, for the chart to start from
        await().atMost(Duration.ofSeconds(90))
            .until(() -> value("count_over_time(" + LAG + "[30s:1s])") >= 29 && value(LAG) < 2000);
        long slowed = Instant.now().getEpochSecond();
        // 24 workers at 100 ms a record handle 240 records/s at most; the producer writes 500
        this.brake.slow(Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(120)).until(() -> value(LAG) > 8000);
        long released = Instant.now().getEpochSecond();
        this.brake.release();
        await().atMost(Duration.ofSeconds(120)).until(this::caughtUp);
        long end = Instant.now().getEpochSecond();
        log.info("Slowed for {} s; caught up {} s after release", released - slowed, end - 15 - released);

        Instant from = Instant.ofEpochSecond(slowed - 30);
        JsonNode lag = single(this.prometheus.queryRange(LAG, from, Instant.ofEpochSecond(end), Duration.ofSeconds(1)));
        JsonNode timeLag = single(this.prometheus.queryRange(TIME_LAG, from, Instant.ofEpochSecond(end),
                Duration.ofSeconds(1)));
        assertThat(max(lag)).as("the peak of the lag in Prometheus").isGreaterThan(8000);
        assertThat(last(lag)).as("the lag in Prometheus at the end").isLessThan(2000);
        assertThat(max(timeLag)).as("the peak of the time lag").isGreaterThanOrEqualTo(5);
        assertThat(last(timeLag)).as("the time lag at the end").isLessThan(max(timeLag) / 2);
        log.info("Lag peaked at {} records, time lag at {} s", max(lag), max(timeLag));

        long[] band = { slowed, released };
        String label = "handler slowed by 100 ms a call";
        Files.writeString(DIR.resolve("lag-and-time-lag.svg"), new LagChart(slowed - 30, end)
            .panel("Lag: " + LAG, "records", lag.path("values"), band, label)
            .panel("Time lag: " + TIME_LAG, "seconds", timeLag.path("values"), band, label)
            .svg());
    }

    @Test
    @Order(4)
    void aBlockedHandlerFiresTheStallAlertInPrometheusWhichResolvesWhenTheHandlerResumes() {
        assertThat(this.prometheus.alerts(STALL_ALERT, "firing")).as("before the handler is blocked").isEmpty();
        long held = System.nanoTime();
        this.brake.hold();
        try {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(this.prometheus.alerts(STALL_ALERT, "firing"))
                .anySatisfy((labels) -> {
                    assertThat(labels.path("container").asString()).isEqualTo(CONTAINER);
                    assertThat(labels.path("topic").asString()).isEqualTo(OrderProducer.TOPIC);
                    assertThat(labels.path("status").asString()).isEqualTo("stall");
                    assertThat(labels.path("severity").asString()).isEqualTo("critical");
                }));
            log.info("{} firing {} ms after the handler was held: {}", STALL_ALERT,
                    Duration.ofNanos(System.nanoTime() - held).toMillis(), this.prometheus.alerts(STALL_ALERT, "firing"));
        }
        finally {
            this.brake.release();
        }
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(this.prometheus.alerts(STALL_ALERT, "firing"))
            .as("after the handler resumed").isEmpty());
        await().atMost(Duration.ofSeconds(120)).until(this::caughtUp);
    }

    @Test
    @Order(5)
    void everyQueryOfTheDashboardStillReturnsSeriesOnceTheClientMetersArePerTopic() {
        // Micrometer keeps, of each kafka-clients meter name, the series with the most tags: within a minute of the
        // start the client-wide records/s, bytes/s and records lag max give way to series per topic and partition,
        // and a query selecting the client-wide one (topic="") goes empty
        await().atMost(Duration.ofSeconds(120)).until(() -> !this.prometheus
            .query("kafka_consumer_fetch_manager_records_consumed_rate{container=\"orders\", topic=\"orders\"}").isEmpty());
        assertEveryQueryOfTheDashboardReturnsSeriesOfTheContainer();
    }

    /** Whether a query's result has series, all of the container. */
    private static boolean ofTheContainer(JsonNode result) {
        return !result.isEmpty() && result.valueStream()
            .allMatch((series) -> series.path("metric").path("container").asString().equals(CONTAINER));
    }

    /** Whether the lag has been below 2,000 records for 15 s: caught up, and staying there. */
    private boolean caughtUp() {
        return value("max_over_time(" + LAG + "[15s:1s])") < 2000;
    }

    private double value(String query) {
        JsonNode result = this.prometheus.query(query);
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asString());
    }

    private static JsonNode single(JsonNode result) {
        assertThat(result).as("series of the range query").hasSize(1);
        return result.get(0);
    }

    private static double max(JsonNode series) {
        return series.path("values").valueStream().mapToDouble((pair) -> Double.parseDouble(pair.get(1).asString()))
            .max().orElse(Double.NaN);
    }

    private static double last(JsonNode series) {
        JsonNode values = series.path("values");
        return Double.parseDouble(values.get(values.size() - 1).get(1).asString());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
