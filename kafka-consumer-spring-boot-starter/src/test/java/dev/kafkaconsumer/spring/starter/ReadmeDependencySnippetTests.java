package dev.kafkaconsumer.spring.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The dependencies that the README tells an application to add are the ones that the application of
 * {@code src/it/readme-app} is built with (by maven-invoker-plugin, in this module's {@code verify}), so a
 * snippet that would not resolve or not work cannot stay in the README.
 */
class ReadmeDependencySnippetTests {

    private static final Path README = Path.of("..", "README.md");

    private static final Path APPLICATION_POM = Path.of("src", "it", "readme-app", "pom.xml");

    private static final Path APPLICATION_TEST = Path.of("src", "it", "readme-app", "src", "test", "java", "com", "example",
            "orders", "OrdersApplicationTests.java");

    @Test
    void readmeShowsTheDependenciesThatTheInvokedApplicationIsBuiltWith() throws IOException {
        String snippet = "```xml\n" + dependencyBlock(Files.readAllLines(APPLICATION_POM)) + "```\n";

        assertThat(Files.readString(README))
                .as("README.md must show, in a fenced xml block, the dependencies between the README:begin and "
                        + "README:end comments of %s, unindented, with @project.version@ replaced by the project's "
                        + "version; change both together", APPLICATION_POM)
                .contains(snippet);
    }

    @Test
    void readmeShowsTheInvokedApplicationsTestAsItStands() throws IOException {
        List<String> test = Files.readAllLines(APPLICATION_TEST);
        int from = indexOf(test, "@SpringBootTest");
        String body = String.join("\n", test.subList(from, test.size())).strip();

        assertThat(Files.readString(README))
                .as("README.md must show %s from @SpringBootTest to its end; change both together", APPLICATION_TEST)
                .contains("```java\n" + body + "\n```\n");
    }

    @Test
    void readmeTellsASpringBootParentsApplicationTheKafkaVersionThatTheInvokedApplicationSets() throws IOException {
        String kafkaVersion = System.getProperty("kafka.version");
        assertThat(kafkaVersion).as("system property kafka.version (set by this module's surefire configuration)")
                .isNotBlank();
        String property = "<kafka.version>" + kafkaVersion + "</kafka.version>";

        assertThat(Files.readString(APPLICATION_POM)).contains("<kafka.version>@kafka.version@</kafka.version>");
        assertThat(Files.readString(README))
                .as("README.md must show the kafka.version property that %s sets", APPLICATION_POM)
                .contains("```xml\n<properties>\n    " + property + "\n</properties>\n```\n");
    }

    @Test
    void theBlockIsTheStarterAndTheTestBrokerAtThisVersion() throws IOException {
        String block = dependencyBlock(Files.readAllLines(APPLICATION_POM));

        assertThat(block)
                .contains("<artifactId>kafka-consumer-spring-boot-starter</artifactId>")
                .contains("<artifactId>kafka-consumer-test</artifactId>")
                .contains("<version>" + System.getProperty("project.version") + "</version>")
                .doesNotContain("@")
                .doesNotContain("<type>");
    }

    /**
     * The lines strictly between the line that holds {@code README:begin} (with the rest of its comment) and
     * the line that holds {@code README:end}, unindented by the first one's indentation, versions filled in.
     */
    private static String dependencyBlock(List<String> pom) {
        int begin = indexOf(pom, "README:begin");
        while (!pom.get(begin).contains("-->")) {
            begin++;
        }
        int end = indexOf(pom, "README:end");
        List<String> lines = pom.subList(begin + 1, end);
        assertThat(lines).as("the README block of %s", APPLICATION_POM).isNotEmpty();
        int indent = lines.get(0).length() - lines.get(0).stripLeading().length();
        StringBuilder block = new StringBuilder();
        for (String line : lines) {
            assertThat(line.isBlank() || line.startsWith(" ".repeat(indent)))
                    .as("line indented less than the block's first: %s", line).isTrue();
            block.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        String version = System.getProperty("project.version");
        assertThat(version).as("system property project.version (set by this module's surefire configuration)")
                .isNotBlank();
        return block.toString().replace("@project.version@", version);
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + marker);
    }
}
