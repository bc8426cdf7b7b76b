package dev.kafkaconsumer.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.config.Customizer.withDefaults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import dev.kafkaconsumer.spring.RecordHandler;
import dev.kafkaconsumer.spring.autoconfigure.ConsumerContainerRegistry;
import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * R20, the endpoints behind Spring Security, in a real web application on the in-process broker: with the security
 * configuration the README shows (every actuator endpoint needs the role {@code ACTUATOR}), anonymous requests get 401,
 * a user without the role 403, an operator with it 200, for every read and the write operation of ours, and a refused
 * write changes nothing. With Boot's default security (no configuration of the user's), every endpoint of ours needs a
 * login too, and the health shows no container to an anonymous caller. Our auto-configuration adds no filter chain of
 * its own in either case. Runs in the surefire execution that has Spring Security on the class path.
 */
@ExtendWith(KafkaBrokerExtension.class)
class EndpointSecurityTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final List<String> READS = List.of("/kafkaconsumers", "/kafkaconsumers/orders", "/kafkalag",
            "/kafkalag/orders", "/health/kafkaConsumers", "/health/kafkaConsumers/orders");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void anonymousGets401AUserWithoutTheRole403AndAnOperatorWithItSucceedsOnEveryReadAndTheWrite(KafkaBroker kafka)
            throws Exception {
        String topic = topic(kafka);
        try (ConfigurableApplicationContext context = start(kafka, topic, UsersSecurity.class,
                "management.endpoint.health.show-details=always")) {
            String base = base(context);
            ConsumerContainerRegistry registry = context.getBean(ConsumerContainerRegistry.class);
            await().atMost(WAIT).until(() -> registry.get("orders").snapshot().partitions().size() == 1);
            assertThat(context.getBeansOfType(SecurityFilterChain.class)).containsOnlyKeys("actuatorSecurity");

            for (String path : READS) {
                assertThat(get(base + path, null).statusCode()).as("anonymous GET %s", path).isEqualTo(401);
                assertThat(get(base + path, "user").statusCode()).as("user GET %s", path).isEqualTo(403);
                HttpResponse<String> allowed = get(base + path, "operator");
                assertThat(allowed.statusCode()).as("operator GET %s: %s", path, allowed.body()).isEqualTo(200);
                assertThat(allowed.body()).as(path).contains(path.startsWith("/health") ? "\"status\":\"UP\"" : "\"state\"");
            }
            assertThat(get(base + "/kafkaconsumers/nobody", "operator").statusCode()).isEqualTo(404);

            HttpResponse<String> anonymous = post(base + "/kafkaconsumers/orders", "{\"action\":\"pause\"}", null);
            assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    (challenge) -> assertThat(challenge).startsWith("Basic"));
            HttpResponse<String> user = post(base + "/kafkaconsumers/orders", "{\"action\":\"pause\"}", "user");
            assertThat(user.statusCode()).as(user.body()).isEqualTo(403);
            assertThat(post(base + "/kafkaconsumers/nobody", "{\"action\":\"pause\"}", "user").statusCode())
                .as("an unknown container tells nothing either").isEqualTo(403);
            assertThat(registry.get("orders").snapshot().state().name()).as("refused writes change nothing")
                .isEqualTo("RUNNING");

            HttpResponse<String> paused = post(base + "/kafkaconsumers/orders", "{\"action\":\"pause\"}", "operator");
            assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
            assertThat(paused.body()).contains("\"state\":\"PAUSED\"");
            assertThat(registry.get("orders").snapshot().state().name()).isEqualTo("PAUSED");
            HttpResponse<String> bad = post(base + "/kafkaconsumers/orders", "{\"action\":\"jump\"}", "operator");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("action must be pause, resume, start, stop or seek");
            HttpResponse<String> resumed = post(base + "/kafkaconsumers/orders", "{\"action\":\"resume\"}", "operator");
            assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
            assertThat(registry.get("orders").snapshot().state().name()).isEqualTo("RUNNING");
        }
    }

    @Test
    void bootsDefaultSecurityAsksForALoginOnEveryEndpointOfOursAndHidesTheContainersFromTheAnonymousHealth(
            KafkaBroker kafka) throws Exception {
        String topic = topic(kafka);
        try (ConfigurableApplicationContext context = start(kafka, topic, NoSecurityOfTheUsers.class,
                "spring.security.user.name=operator", "spring.security.user.password=secret",
                "management.endpoint.health.show-details=when-authorized")) {
            String base = base(context);
            ConsumerContainerRegistry registry = context.getBean(ConsumerContainerRegistry.class);
            await().atMost(WAIT).until(() -> registry.get("orders").snapshot().partitions().size() == 1);
            assertThat(context.getBeansOfType(SecurityFilterChain.class)).containsOnlyKeys("managementSecurityFilterChain");

            for (String path : List.of("/kafkaconsumers", "/kafkaconsumers/orders", "/kafkalag", "/kafkalag/orders")) {
                assertThat(get(base + path, null).statusCode()).as("anonymous GET %s", path).isEqualTo(401);
                assertThat(get(base + path, "operator").statusCode()).as("operator GET %s", path).isEqualTo(200);
            }
            // Boot's default leaves the health open, with the status only: no container's name, state or failure
            HttpResponse<String> health = get(base + "/health", null);
            assertThat(health.body()).doesNotContain("orders").doesNotContain("kafkaConsumers");
            assertThat(get(base + "/health", "operator").body()).contains("kafkaConsumers", "orders");

            HttpResponse<String> anonymous = post(base + "/kafkaconsumers/orders", "{\"action\":\"pause\"}", null);
            assertThat(anonymous.statusCode()).as(anonymous.body()).isIn(401, 403);
            // Spring Security's CSRF protection, on by default, refuses a POST without a token, logged in or not (its
            // filter runs before the login is read, so the refusal may come as 401 rather than 403)
            HttpResponse<String> operator = post(base + "/kafkaconsumers/orders", "{\"action\":\"pause\"}", "operator");
            assertThat(operator.statusCode()).as(operator.body()).isIn(401, 403);
            assertThat(registry.get("orders").snapshot().state().name()).isEqualTo("RUNNING");
        }
    }

    private static String topic(KafkaBroker kafka) {
        String topic = "secured-" + UUID.randomUUID();
        kafka.createTopic(topic, 1);
        kafka.send(new StringSerializer(), new StringSerializer(), List.of(new ProducerRecord<>(topic, "k", "v")));
        return topic;
    }

    private static ConfigurableApplicationContext start(KafkaBroker kafka, String topic, Class<?> security,
            String... properties) {
        return new SpringApplicationBuilder(Application.class, security)
            .properties("server.port=0", "spring.main.banner-mode=off", "test.topic=" + topic,
                    "management.endpoints.web.exposure.include=health,kafkaconsumers,kafkalag",
                    "management.endpoint.kafkaconsumers.access=unrestricted",
                    "kafka.consumer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "kafka.consumer.group-id=secured-" + UUID.randomUUID(), "kafka.consumer.auto-offset-reset=earliest",
                    "kafka.consumer.lag.sample-interval=100ms")
            .properties(properties)
            .run();
    }

    private static String base(ConfigurableApplicationContext context) {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/actuator";
    }

    private HttpResponse<String> get(String url, String login) throws IOException, InterruptedException {
        return this.http.send(request(url, login).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body, String login) throws IOException, InterruptedException {
        return this.http.send(request(url, login).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String url, String login) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(WAIT);
        if (login != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((login + ":secret").getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Orders.class)
    static class Application {

    }

    static class Orders {

        @RecordHandler(id = "orders", topics = "${test.topic}")
        void onOrder(String order) {
        }

    }

    /** The actuator's security as the README shows it, with two users. */
    @Configuration(proxyBeanMethods = false)
    static class UsersSecurity {

        @Bean
        SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
            http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests((requests) -> requests.anyRequest().hasRole("ACTUATOR"))
                .httpBasic(withDefaults())
                .csrf((csrf) -> csrf.ignoringRequestMatchers(EndpointRequest.toAnyEndpoint()));
            return http.build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("operator").password("{noop}secret").roles("ACTUATOR").build(),
                    User.withUsername("user").password("{noop}secret").roles("USER").build());
        }

    }

    /** No security configuration: Boot's default. */
    @Configuration(proxyBeanMethods = false)
    static class NoSecurityOfTheUsers {

    }

}
