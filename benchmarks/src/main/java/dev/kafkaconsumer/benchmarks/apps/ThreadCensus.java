package dev.kafkaconsumer.benchmarks.apps;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The JVM's live platform threads by kind: each name with its container or topic ({@code h07}, {@code b8-12}), what follows
 * {@code " | "} (kafka-clients' group or client id) and numbers replaced, so that the 50 containers' {@code kafka-consumer-io-h07-1} and the rest count as one
 * kind. Shows which threads a container costs, and so what could be shared.
 */
final class ThreadCensus {

    private ThreadCensus() {
    }

    /** Live threads by kind, most first. */
    static Map<String, Long> now() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !isVirtual(thread))
                .collect(Collectors.groupingBy(thread -> kind(thread.getName()), TreeMap::new, Collectors.counting()));
    }

    /** A thread name's kind. */
    static String kind(String name) {
        return name.replaceAll(" \\| .*", " | <group>")
                .replaceAll("b8-\\d+", "<topic>")
                .replaceAll("\\bh\\d\\d\\b", "<id>")
                .replaceAll("\\d+", "N");
    }

    private static boolean isVirtual(Thread thread) {
        // Thread.isVirtual() is Java 21; the module builds for 17
        return thread.getClass().getName().contains("VirtualThread");
    }
}
