package dev.kafkaconsumer.benchmarks.apps;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A B8 contender, read from its name: {@code raw} (a raw consumer per topic), or {@code spring-<N>} and
 * {@code spring-<N>-virtual}: a Spring Boot application with N {@code @RecordHandler} methods (1, 10 or 50) sharing the
 * 50 topics, on platform threads or with {@code spring.threads.virtual.enabled=true}.
 *
 * @param name     as {@code bench.contenders} gives it
 * @param handlers {@code @RecordHandler} methods, so containers; 0 for raw
 * @param virtual  whether the application runs with virtual threads
 */
record AppContender(String name, int handlers, boolean virtual) {

    static final String RAW = "raw";
    static final List<String> ALL = List.of(RAW, "spring-1", "spring-10", "spring-50", "spring-1-virtual", "spring-10-virtual",
            "spring-50-virtual");

    private static final Pattern NAME = Pattern.compile("spring-(1|10|50)(-virtual)?");

    static AppContender of(String name) {
        if (name.equals(RAW)) {
            return new AppContender(name, 0, false);
        }
        Matcher matcher = NAME.matcher(name);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("B8 contender " + name + " is not raw, spring-<1|10|50> or spring-<1|10|50>-virtual");
        }
        return new AppContender(name, Integer.parseInt(matcher.group(1)), matcher.group(2) != null);
    }

    boolean raw() {
        return handlers == 0;
    }

    /** The handler class of the application. */
    Class<?> handlerClass() {
        return switch (handlers) {
            case 1 -> OneHandler.class;
            case 10 -> TenHandlers.class;
            case 50 -> FiftyHandlers.class;
            default -> throw new IllegalStateException("No handler class for " + name);
        };
    }

    /** Consumers of the run: a container per handler, or a raw consumer per topic. */
    int consumers(int topics) {
        return raw() ? topics : handlers;
    }

    String describe() {
        if (raw()) {
            return "a raw `KafkaConsumer` per topic, each on a platform thread of its own (`raw`)";
        }
        return handlers + " `@RecordHandler` method" + (handlers == 1 ? "" : "s") + " in one Spring Boot application"
                + (virtual ? ", `spring.threads.virtual.enabled=true`" : "") + " (`" + name + "`)";
    }
}
