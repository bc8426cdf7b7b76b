package dev.kafkaconsumer.spring.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * The Grafana dashboard of {@code ops/grafana}, checked as Grafana would need it without a Grafana (it is not in
 * Debian's packages): its structure, its container variable, the panels the operators' kit promises, and every query
 * filtered by the variable. Its metric names are checked against a real scrape by {@link OpsMeterNamesTests}.
 */
class GrafanaDashboardTests {

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

    private final JsonNode dashboard = OpsFiles.dashboard();

    @Test
    void isADashboardGrafanaCanImport() {
        assertThat(this.dashboard.path("title").asString()).isNotBlank();
        assertThat(this.dashboard.path("uid").asString()).matches("[a-zA-Z0-9_-]{1,40}");
        assertThat(this.dashboard.path("schemaVersion").isInt()).isTrue();
        assertThat(this.dashboard.path("panels").isArray()).isTrue();
        assertThat(this.dashboard.path("templating").path("list").isArray()).isTrue();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : this.dashboard.path("panels")) {
            String title = panel.path("title").asString();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of %s", title).isTrue();
            assertThat(panel.path("type").asString()).as("type of %s", title)
                .isIn("row", "timeseries", "stat", "table", "state-timeline", "bargauge", "gauge");
            JsonNode grid = panel.path("gridPos");
            for (String field : List.of("x", "y", "w", "h")) {
                assertThat(grid.path(field).isInt()).as("gridPos.%s of %s", field, title).isTrue();
            }
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as("width of %s", title).isLessThanOrEqualTo(24);
            if (!panel.path("type").asString().equals("row")) {
                assertThat(panel.path("targets").isArray() && !panel.path("targets").isEmpty())
                    .as("targets of %s", title).isTrue();
                Set<String> refIds = new HashSet<>();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(refIds.add(target.path("refId").asString())).as("unique refId in %s", title).isTrue();
                    assertThat(target.path("expr").asString()).as("expr in %s", title).isNotBlank();
                }
                assertThat(panel.path("datasource").path("uid").asString()).as("datasource of %s", title)
                    .isEqualTo("${datasource}");
            }
        }
    }

    @Test
    void hasAContainerVariableOverEveryContainerAndAPrometheusDatasourceVariable() {
        JsonNode container = variable("container");
        assertThat(container.path("type").asString()).isEqualTo("query");
        assertThat(container.path("includeAll").asBoolean()).isTrue();
        assertThat(container.path("multi").asBoolean()).isTrue();
        assertThat(container.path("query").path("query").asString())
            .isEqualTo("label_values(kafka_consumer_container_state, container)");
        assertThat(variable("datasource").path("query").asString()).isEqualTo("prometheus");
    }

    @Test
    void hasThePanelsTheKitPromises() {
        List<String> titles = new ArrayList<>();
        this.dashboard.path("panels").forEach((panel) -> titles.add(panel.path("title").asString()));
        assertThat(titles).contains("Lag per partition", "Time lag per partition", "Records/s", "Handler time p50 and p99",
                "In flight", "Retries and dead letters", "Rebalances", "Commit outcomes");
        assertThat(titles).anyMatch((title) -> title.startsWith("Fetch"));
    }

    @Test
    void everyQuerySelectsTheContainersOfTheVariable() {
        for (String expr : panelQueries(this.dashboard)) {
            Matcher selectors = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*\\{([^}]*)}").matcher(expr);
            int count = 0;
            while (selectors.find()) {
                count++;
                assertThat(selectors.group(1)).as("selector in %s", expr).contains("container=~\"$container\"");
            }
            assertThat(count).as("selectors in %s", expr).isPositive();
        }
    }

    private JsonNode variable(String name) {
        for (JsonNode variable : this.dashboard.path("templating").path("list")) {
            if (variable.path("name").asString().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("No variable " + name + " in the dashboard");
    }

    /**
     * Every PromQL query of the dashboard: the panels' targets (rows' panels included), and the metric each
     * {@code label_values} variable reads, as a query of its own.
     */
    static List<String> queries(JsonNode dashboard) {
        List<String> queries = panelQueries(dashboard);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher matcher = LABEL_VALUES.matcher(variable.path("query").path("query").asString());
            if (matcher.find()) {
                queries.add(matcher.group(1));
            }
        }
        return queries;
    }

    /** The PromQL of every panel's targets, rows' panels included. */
    static List<String> panelQueries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            addTargets(panel, queries);
            panel.path("panels").forEach((nested) -> addTargets(nested, queries));
        }
        return queries;
    }

    private static void addTargets(JsonNode panel, List<String> queries) {
        panel.path("targets").forEach((target) -> queries.add(target.path("expr").asString()));
    }

}
