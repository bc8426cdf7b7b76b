package dev.kafkaconsumer.samples.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operators' kit of the repository's {@code ops} folder as {@link QuickstartPrometheusLiveTests} queries it: the
 * dashboard's queries with its variables filled in for one container, a copy of the rules with an alert's {@code for}
 * shortened, and the parts of a rule's PromQL that must return series. The PromQL is read as text, not parsed: the few rules below are all the kit needs,
 * and {@code GrafanaDashboardTests} keeps the dashboard to them.
 */
final class OpsKit {

    /** The {@code ops} folder, from the module's directory, where Maven runs the tests. */
    static final Path OPS = Path.of(System.getProperty("ops.dir", "../../ops"));

    static final Path RULES = OPS.resolve("prometheus/kafka-consumer-rules.yml");

    static final Path DASHBOARD = OPS.resolve("grafana/kafka-consumer.json");

    /**
     * What the dashboard's {@code $__rate_interval} becomes: Grafana makes it at least four scrape intervals (4 s
     * here); 30 s gives every rate a few dozen samples.
     */
    static final String RATE_INTERVAL = "30s";

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w:])[a-zA-Z_:][a-zA-Z0-9_:]*\\{[^}]*}");

    private OpsKit() {
    }

    /**
     * Every query of the dashboard for one container: each panel's targets (rows' panels included), and the metric
     * of each {@code label_values} variable, with {@code $container} and {@code $__rate_interval} filled in.
     *
     * @param container the container's id
     * @return the queries, by panel title
     */
    static Map<String, String> dashboardQueries(String container) {
        JsonNode dashboard = JsonMapper.builder().build().readTree(read(DASHBOARD));
        Map<String, String> queries = new LinkedHashMap<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach((panel) -> {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        });
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(panel.path("title").asString() + " [" + target.path("refId").asString() + "]",
                        forContainer(target.path("expr").asString(), container));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher metric = LABEL_VALUES.matcher(variable.path("query").path("query").asString());
            if (metric.find()) {
                queries.put("variable " + variable.path("name").asString(), metric.group(1));
            }
        }
        return queries;
    }

    static String forContainer(String expr, String container) {
        // container ids are plain names (letters, digits, dashes): as a regular expression each matches itself
        return expr.replace("$__rate_interval", RATE_INTERVAL)
            .replace("${container}", container)
            .replace("$container", container);
    }

    /**
     * Writes a copy of the rules file where one alert's {@code for} is shorter, so that a test sees it fire in
     * seconds rather than minutes; the rest is as the kit ships it.
     *
     * @param copy   where to write it
     * @param alert  the alert's name
     * @param window its {@code for}, in Prometheus's notation
     * @return the names of the rules of the copy (alerts and recorded series)
     * @throws IOException when it cannot be written
     */
    @SuppressWarnings("unchecked")
    static List<String> copyRulesWithFor(Path copy, String alert, String window) throws IOException {
        Map<String, Object> file = new Yaml().load(read(RULES));
        List<String> names = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                if (alert.equals(rule.get("alert"))) {
                    rule.put("for", window);
                }
                names.add((String) (rule.containsKey("alert") ? rule.get("alert") : rule.get("record")));
            }
        }
        if (!names.contains(alert)) {
            throw new IllegalArgumentException("No alert " + alert + " in " + RULES);
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(200);
        Files.writeString(copy, new Yaml(options).dump(file));
        return names;
    }

    /**
     * The vector selectors of an expression that carry label matchers ({@code name{...}}).
     *
     * @param expr the PromQL
     * @return the selectors, in their order
     */
    static List<String> selectors(String expr) {
        List<String> selectors = new ArrayList<>();
        Matcher matcher = SELECTOR.matcher(expr);
        while (matcher.find()) {
            selectors.add(matcher.group());
        }
        return selectors;
    }

    /**
     * What an alert compares with its threshold: the expression up to its first comparison operator outside
     * parentheses, braces, brackets and strings ({@code sum(rate(x[5m])) > 0.1} gives {@code sum(rate(x[5m]))}).
     * When the consumer is healthy the alert's expression is empty by design; this part is not, and is what the
     * alert watches.
     *
     * @param expr an alert's PromQL
     * @return the left-hand side of its first top-level comparison, or the whole expression without one
     */
    static String watched(String expr) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                }
                else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> quoted = true;
                case '(', '{', '[' -> depth++;
                case ')', '}', ']' -> depth--;
                case '>', '<' -> {
                    if (depth == 0) {
                        return expr.substring(0, i).trim();
                    }
                }
                case '=', '!' -> {
                    if (depth == 0 && i + 1 < expr.length() && expr.charAt(i + 1) == '=') {
                        return expr.substring(0, i).trim();
                    }
                }
                default -> {
                }
            }
        }
        return expr.trim();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
