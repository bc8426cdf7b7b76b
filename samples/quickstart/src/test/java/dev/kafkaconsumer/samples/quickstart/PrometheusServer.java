package dev.kafkaconsumer.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus, Debian's {@code prometheus} binary started as a process of the test, scraping one target every
 * second and evaluating its rules every second, with its data, configuration and log in a directory of the test;
 * and a client of its HTTP API ({@code /api/v1/query}, {@code query_range}, {@code targets}, {@code alerts}).
 * {@link #close()} stops the process (SIGTERM, then SIGKILL after 30 seconds).
 */
final class PrometheusServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;

    private final String url;

    private final Path log;

    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * Whether {@code prometheus} runs from the PATH.
     *
     * @return whether {@code prometheus --version} ran and succeeded
     */
    static boolean installed() {
        try {
            Process version = new ProcessBuilder("prometheus", "--version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts Prometheus on a free port of the loopback address and waits until it is ready.
     *
     * @param dir         where its configuration, data and log go
     * @param target      host:port of the application to scrape
     * @param metricsPath the path of the application's exposition
     * @param rules       the rule file to load
     * @return the running server
     * @throws IOException when the files cannot be written or the process cannot start
     */
    static PrometheusServer start(Path dir, String target, String metricsPath, Path rules) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: quickstart
                    metrics_path: %s
                    static_configs:
                      - targets: ['%s']
                """.formatted(rules.toAbsolutePath(), metricsPath, target));
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder("prometheus", "--config.file=" + config.toAbsolutePath(),
                "--storage.tsdb.path=" + dir.resolve("data").toAbsolutePath(),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port, log);
        await().atMost(Duration.ofSeconds(60)).until(server::ready);
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private boolean ready() {
        assertThat(this.process.isAlive()).as("prometheus is running; its log:%n%s", log()).isTrue();
        try {
            return this.http.send(HttpRequest.newBuilder(URI.create(this.url + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The base address of its web UI and API. @return the URL */
    String url() {
        return this.url;
    }

    /** Its log so far, for failure messages. @return the log */
    String log() {
        try {
            return Files.readString(this.log);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Evaluates an instant query now.
     *
     * @param promql the query
     * @return the {@code result} array of the answer
     */
    JsonNode query(String promql) {
        return get("/api/v1/query?query=" + encode(promql)).path("data").path("result");
    }

    /**
     * Evaluates a range query.
     *
     * @param promql the query
     * @param start  the first point
     * @param end    the last point
     * @param step   between two points
     * @return the {@code result} array of the answer: one series each with its {@code values}
     */
    JsonNode queryRange(String promql, Instant start, Instant end, Duration step) {
        return get("/api/v1/query_range?query=" + encode(promql) + "&start=" + start.getEpochSecond() + "&end="
                + end.getEpochSecond() + "&step=" + step.toSeconds()).path("data").path("result");
    }

    /**
     * The rules Prometheus loaded, as it parsed them, with their health.
     *
     * @return the rules of every group: {@code name}, {@code query}, {@code type} ({@code alerting} or
     *         {@code recording}), {@code health}, {@code lastError}
     */
    List<JsonNode> rules() {
        return get("/api/v1/rules").path("data").path("groups").valueStream()
            .flatMap((group) -> group.path("rules").valueStream())
            .toList();
    }

    /** The active targets. @return their array */
    JsonNode targets() {
        return get("/api/v1/targets").path("data").path("activeTargets");
    }

    /** The alerts, pending and firing. @return their array */
    JsonNode alerts() {
        return get("/api/v1/alerts").path("data").path("alerts");
    }

    /**
     * The alerts of one name, in one state.
     *
     * @param name  the alert's name
     * @param state {@code pending} or {@code firing}
     * @return their labels
     */
    List<JsonNode> alerts(String name, String state) {
        return alerts().valueStream()
            .filter((alert) -> alert.path("labels").path("alertname").asString().equals(name))
            .filter((alert) -> alert.path("state").asString().equals(state))
            .map((alert) -> alert.path("labels"))
            .toList();
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(this.url + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("status").asString()).as("%s answered %s", path, response.body()).isEqualTo("success");
            return body;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking Prometheus for " + path, ex);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        this.process.destroy();
        if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
            this.process.destroyForcibly().waitFor();
        }
    }
}
