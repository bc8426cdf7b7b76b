package dev.kafkaconsumer.spring.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operators' kit of the repository's {@code ops} folder, read for the tests: the Prometheus rules, the Grafana
 * dashboard, and the metric names their PromQL uses.
 */
final class OpsFiles {

    /** The folder, from the module's directory, where Maven runs the tests. */
    static final Path OPS = Path.of(System.getProperty("ops.dir", "../ops"));

    static final Path RULES = OPS.resolve("prometheus/kafka-consumer-rules.yml");

    static final Path RULE_TESTS = OPS.resolve("prometheus/kafka-consumer-rules.test.yml");

    static final Path DASHBOARD = OPS.resolve("grafana/kafka-consumer.json");

    // the keywords and functions of PromQL that can look like a metric name; functions are followed by "("
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");

    private static final Pattern GROUPING = Pattern
        .compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(?!\\w)(\\s*\\()?");

    private OpsFiles() {
    }

    /** Every rule of every group of the rules file, as the YAML has it. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules() {
        Map<String, Object> file = new Yaml().load(read(RULES));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    /** The dashboard's JSON. */
    static JsonNode dashboard() {
        return JsonMapper.builder().build().readTree(read(DASHBOARD));
    }

    /**
     * The metric names a PromQL expression selects: identifiers that are neither label names (in braces or in a
     * grouping), nor functions, nor keywords, nor Grafana variables ({@code $container}, {@code $__rate_interval}).
     */
    static Set<String> metricNames(String promql) {
        String text = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // strings
            .replaceAll("\\{[^}]*}", "") // label matchers
            .replaceAll("\\[[^]]*]", "") // ranges and subqueries
            .replaceAll("\\$\\{?\\w+}?", "0"); // Grafana variables
        text = GROUPING.matcher(text).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = IDENTIFIER.matcher(text);
        while (matcher.find()) {
            String word = matcher.group(1);
            boolean function = matcher.group(2) != null;
            if (!function && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
