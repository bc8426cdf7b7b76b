package dev.kafkaconsumer.spring.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The alert rules of {@code ops/prometheus}: the alerts the operators' kit promises, each saying where to look, and
 * {@code promtool test rules} on synthetic series where {@code promtool} is installed (Debian's {@code prometheus}
 * package brings it). The PromQL's metric names are checked against a real scrape by {@link OpsMeterNamesTests}.
 */
class PrometheusRulesTests {

    @Test
    void everyAlertTheKitPromisesIsThere() {
        assertThat(OpsFiles.rules()).filteredOn((rule) -> rule.containsKey("alert"))
            .extracting((rule) -> rule.get("alert"))
            .containsExactlyInAnyOrder("KafkaConsumerContainerFailed", "KafkaConsumerPartitionStalled",
                    "KafkaConsumerPartitionHeld", "KafkaConsumerTimeLagHigh", "KafkaConsumerDeadLetters", "KafkaConsumerRebalanceStorm",
                    "KafkaConsumerCommitsFailing");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasASeverityASummaryAndADescriptionNamingItsContainersEndpoint() {
        for (Map<String, Object> rule : OpsFiles.rules()) {
            if (!rule.containsKey("alert")) {
                continue;
            }
            Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            assertThat(labels).as("labels of %s", rule.get("alert")).containsKey("severity");
            assertThat(labels.get("severity")).as("severity of %s", rule.get("alert")).isIn("critical", "warning");
            assertThat(annotations).as("annotations of %s", rule.get("alert")).containsKeys("summary", "description");
            assertThat((String) annotations.get("summary")).as("summary of %s", rule.get("alert"))
                .contains("{{ $labels.container }}");
            assertThat((String) annotations.get("description")).as("description of %s", rule.get("alert"))
                .contains("/actuator/kafkaconsumers/{{ $labels.container }}");
            assertThat((String) rule.get("expr")).as("expression of %s", rule.get("alert")).isNotBlank();
        }
    }

    @Test
    void everyAlertHasAUnitTestInTheRuleTests() {
        String tests = OpsFiles.read(OpsFiles.RULE_TESTS);
        for (Map<String, Object> rule : OpsFiles.rules()) {
            if (rule.containsKey("alert")) {
                assertThat(tests).as("tests of %s", rule.get("alert"))
                    .contains("alertname: " + rule.get("alert"));
            }
        }
    }

    @Test
    void theMetricNamesOfAnExpressionLeaveOutLabelsFunctionsKeywordsAndVariables() {
        assertThat(OpsFiles.metricNames("sum by (instance, container) (rate(kafka_consumer_commits_total"
                + "{outcome=\"failure\"}[5m])) / on(container) group_left() kafka_consumer:x > bool 0.1 "
                + "unless kafka_consumer_lag_status{status=~\"stall|stop\"} offset 5m"))
            .containsExactly("kafka_consumer_commits_total", "kafka_consumer:x", "kafka_consumer_lag_status");
        assertThat(OpsFiles.metricNames("histogram_quantile(0.99, sum by (le) (rate(kafka_consumer_handler_seconds_bucket"
                + "{container=~\"$container\"}[$__rate_interval])))"))
            .containsExactly("kafka_consumer_handler_seconds_bucket");
    }

    @Test
    void promtoolPassesTheRuleUnitTests() throws Exception {
        assumeThat(promtool()).as("promtool on the PATH (apt-get install prometheus)").isNotNull();
        Process check = new ProcessBuilder(promtool(), "check", "rules", OpsFiles.RULES.toString())
            .redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(checked).isZero();

        Process test = new ProcessBuilder(promtool(), "test", "rules", OpsFiles.RULE_TESTS.getFileName().toString())
            .directory(OpsFiles.RULE_TESTS.getParent().toFile())
            .redirectErrorStream(true).start();
        String tested = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(test.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(test.exitValue()).as(tested).isZero();
        assertThat(tested).contains("SUCCESS");
    }

    /** promtool from the PATH, or null. */
    static String promtool() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .map((dir) -> new File(dir, "promtool"))
            .filter(File::canExecute)
            .map(File::getPath)
            .findFirst()
            .orElse(null);
    }

}
