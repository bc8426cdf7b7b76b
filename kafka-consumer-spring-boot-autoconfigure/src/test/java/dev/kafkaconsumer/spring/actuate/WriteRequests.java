package dev.kafkaconsumer.spring.actuate;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import tools.jackson.databind.json.JsonMapper;

/**
 * Requests to {@code POST /actuator/kafkaconsumers/{id}}, random and malformed, each with what it must answer: the
 * oracle of {@link KafkaConsumersEndpointFuzzTests}. Every value is drawn from a family whose meaning is known (a valid
 * offset, an offset out of range, a malformed one...), so the expectation follows from the families, not from parsing
 * the text again. The application has a running container {@value #ORDERS} on the two partitions of {@value #TOPIC}
 * ({@value #RECORDS} records each, all handled) and a container {@value #IDLE} that was never started.
 *
 * <p>Valid requests, the only ones that may change anything: to {@value #ORDERS}, {@code pause}, {@code resume} and
 * {@code start} without other parameters, and {@code seek} with exactly one valid target (position {@code beginning}
 * or {@code end}, an offset from 0 to {@value #RECORDS}, a timestamp from 1970 on) and partitions that are all assigned
 * or blank (all); to {@value #IDLE}, {@code stop} without other parameters (nothing to stop). Not generated: a valid
 * {@code stop} of {@value #ORDERS} and a valid {@code start} of {@value #IDLE}, which would make every later request
 * wait for a rejoin (the HTTP integration tests start and stop containers).
 */
final class WriteRequests {

    static final String TOPIC = "fuzzed";

    static final String ORDERS = "orders";

    static final String IDLE = "idle";

    static final int RECORDS = 10;

    /** Below Tomcat's 8 KB for the request line and headers, with room for the headers. */
    private static final int MAX_REQUEST_LINE = 7_000;

    private static final JsonMapper json = JsonMapper.builder().build();

    private WriteRequests() {
    }

    /** What a request must answer. */
    enum Expect {

        /** 200, and the container changed as the action says. */
        OK,

        /** 400 with the endpoint's reason in the body. */
        BAD_REQUEST,

        /** 404: no container with that id. */
        NOT_FOUND,

        /** Refused before the endpoint (a body that is not a JSON object of plain values, a path Tomcat rejects): 400 or 404. */
        REFUSED

    }

    /**
     * One request and its expectation.
     *
     * @param family the generator it comes from, for the tally
     * @param path   the encoded path after {@code /actuator/kafkaconsumers/}
     * @param query  the encoded query, or empty
     * @param body   the body, empty for none
     * @param expect what it must answer
     * @param action for {@link Expect#OK}: the action, lower case
     */
    record Request(String family, String path, String query, byte[] body, Expect expect, String action) {

        @Override
        public String toString() {
            String text = new String(this.body, StandardCharsets.UTF_8);
            return this.family + " " + this.expect + ": POST .../kafkaconsumers/" + cut(this.path)
                    + (this.query.isEmpty() ? "" : "?" + cut(this.query)) + " " + cut(text);
        }

        private static String cut(String text) {
            return (text.length() <= 300) ? text : text.substring(0, 300) + "...(" + text.length() + " characters)";
        }

    }

    /** Every family, weighted: requests the endpoint judges, bodies refused before it, and hostile paths. */
    static Arbitrary<Request> requests() {
        return Arbitraries.frequencyOf(Tuple.of(60, judged()), Tuple.of(20, malformedBodies()),
                Tuple.of(20, hostilePaths()), Tuple.of(3, valid()), Tuple.of(15, oneDefect()));
    }

    // ------------------------------------------------------------------ values with a known meaning

    /** A value of a parameter: its text, whether it may go as a JSON number or boolean, and what it means. */
    record Value(String text, boolean bare, Object meaning) {
    }

    /** Meaning of a value that the endpoint refuses, whatever else the request says. */
    private static final Object BAD = "bad";

    /** Meaning of blank partitions: every assigned one. */
    private static final Object ALL = "all";

    private static Arbitrary<String> spaced(Arbitrary<String> values) {
        return Combinators.combine(values, Arbitraries.of("", " ", "  ", "\t"), Arbitraries.of("", " ", "\n"))
            .as((value, before, after) -> before + value + after);
    }

    private static Arbitrary<String> anyCase(String word) {
        return Arbitraries.integers().between(0, 2).map((mode) -> switch (mode) {
            case 0 -> word;
            case 1 -> word.toUpperCase(Locale.ROOT);
            default -> word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
        });
    }

    /** Random text that no parameter takes: it starts with a letter no valid value starts with. */
    private static Arbitrary<String> junk() {
        Arbitrary<String> text = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(4, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40)),
                Tuple.of(2, Arbitraries.strings().withChars("0123456789-,.:T+Z ").ofMaxLength(30)),
                Tuple.of(1, Arbitraries.integers().between(5_000, 100_000).map("ab"::repeat)));
        return text.map((value) -> "q" + value);
    }

    static Arbitrary<Value> actions() {
        Arbitrary<Value> valid = spaced(Arbitraries.of("pause", "resume", "start", "stop", "seek").flatMap(WriteRequests::anyCase))
            .map((text) -> new Value(text, false, text.trim().toLowerCase(Locale.ROOT)));
        Arbitrary<Value> invalid = Arbitraries.oneOf(
                Arbitraries.of("", " ", "jump", "paus", "pause!", "pause,resume", "seek seek",
                        "\uff30\uff21\uff35\uff33\uff25", "null", "0", "4").map((text) -> new Value(text, false, BAD)),
                Arbitraries.of("true", "false", "0", "1", "-1", "3.5", "1e3").map((text) -> new Value(text, true, BAD)),
                junk().map((text) -> new Value(text, false, BAD)));
        return Arbitraries.frequencyOf(Tuple.of(3, valid), Tuple.of(2, invalid));
    }

    static Arbitrary<Value> positions() {
        Arbitrary<Value> valid = spaced(Arbitraries.of("beginning", "end").flatMap(WriteRequests::anyCase))
            .map((text) -> new Value(text, false, "position"));
        Arbitrary<Value> invalid = Arbitraries.oneOf(
                Arbitraries.of("", " ", "start", "middle", "beginnin", "beginning,end", "latest", "earliest", "-1")
                    .map((text) -> new Value(text, false, BAD)),
                Arbitraries.of("0", "true", "1.5").map((text) -> new Value(text, true, BAD)),
                junk().map((text) -> new Value(text, false, BAD)));
        return Arbitraries.oneOf(valid, invalid);
    }

    /** Meaning: the offset as a Long (in or out of range), or {@link #BAD} when it is not a whole number that fits. */
    static Arbitrary<Value> offsets() {
        Arbitrary<Value> inRange = Arbitraries.longs().between(0, RECORDS)
            .flatMap((n) -> Arbitraries.of(new Value(String.valueOf(n), true, n), new Value(" " + n + " ", false, n)));
        Arbitrary<Value> outOfRange = Arbitraries.oneOf(Arbitraries.longs().between(RECORDS + 1, Long.MAX_VALUE),
                Arbitraries.longs().between(Long.MIN_VALUE, -1), Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, -1L, 11L))
            .map((n) -> new Value(String.valueOf(n), true, n));
        Arbitrary<Value> malformed = Arbitraries.oneOf(
                Arbitraries.of("1.5", "1e3", "-0.0", "1E400", "9223372036854775808", "-9223372036854775809",
                        "123456789012345678901234567890").map((text) -> new Value(text, true, BAD)),
                Arbitraries.of("", " ", "abc", "+5", "0x10", "\u0663", "5 5", "5,6", "true", "NaN", "Infinity")
                    .map((text) -> new Value(text, false, BAD)),
                junk().map((text) -> new Value(text, false, BAD)));
        return Arbitraries.frequencyOf(Tuple.of(3, inRange), Tuple.of(2, outOfRange), Tuple.of(2, malformed));
    }

    static Arbitrary<Value> timestamps() {
        Arbitrary<Value> epoch = Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(0L,
                Long.MAX_VALUE, System.currentTimeMillis()))
            .map((millis) -> new Value(String.valueOf(millis), true, "timestamp"));
        Arbitrary<Value> iso = Arbitraries.longs().between(0, 253402300799L)
            .map((seconds) -> new Value(Instant.ofEpochSecond(seconds).toString(), false, "timestamp"));
        Arbitrary<Value> invalid = Arbitraries.oneOf(
                Arbitraries.longs().between(Long.MIN_VALUE, -1).map((millis) -> new Value(String.valueOf(millis), true, BAD)),
                Arbitraries.of("1.5", "9223372036854775808", "1e12").map((text) -> new Value(text, true, BAD)),
                Arbitraries.of("", " ", "yesterday", "2026-13-01T00:00:00Z", "2026-01-31T12:00:00", "2026-01-31",
                        "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z",
                        "\u0661\u0662\u0663", "12:00")
                    .map((text) -> new Value(text, false, BAD)),
                junk().map((text) -> new Value(text, false, BAD)));
        return Arbitraries.oneOf(epoch, iso, invalid, invalid);
    }

    static Arbitrary<Value> partitions() {
        Arbitrary<Value> all = Arbitraries.of("", " ", "\t").map((text) -> new Value(text, false, ALL));
        Arbitrary<Value> assigned = Arbitraries.of(TOPIC + "-0", TOPIC + "-1", " " + TOPIC + "-1 ")
            .list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .map((names) -> new Value(String.join(",", names), false, "partitions"));
        Arbitrary<String> wrong = Arbitraries.oneOf(
                Arbitraries.of(TOPIC + "-2", TOPIC + "-9999999999", "other-0", TOPIC, "-0", TOPIC + "-", TOPIC + "--1",
                        TOPIC + "-+1", TOPIC + "-\u0663", TOPIC.toUpperCase(Locale.ROOT) + "-0", TOPIC + "-0-", ""),
                Arbitraries.integers().between(2, Integer.MAX_VALUE).map((n) -> TOPIC + "-" + n), junk());
        Arbitrary<Value> invalid = Combinators.combine(assigned, wrong, Arbitraries.of(true, false))
            .as((valid, bad, before) -> new Value(before ? bad + "," + valid.text() : valid.text() + "," + bad, false, BAD));
        Arbitrary<Value> single = wrong.filter((text) -> !text.isBlank()).map((text) -> new Value(text, false, BAD));
        return Arbitraries.oneOf(all, assigned, assigned, invalid, single);
    }

    /** Ids as the body or the query give them: any text. */
    static Arbitrary<Value> ids() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(ORDERS)), Tuple.of(2, Arbitraries.just(IDLE)),
                Tuple.of(2, unknownIds()))
            .map((id) -> new Value(id, false, id));
    }

    /** Ids as the path gives them here: letters and digits (the hostile ones are {@link #hostilePaths()}'). */
    static Arbitrary<Value> pathIds() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(ORDERS)), Tuple.of(2, Arbitraries.just(IDLE)),
                Tuple.of(2, Arbitraries.oneOf(Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(30),
                        Arbitraries.of("ORDERS", "Orders", "orders0", "ordersidle", "null", "0"),
                        Arbitraries.integers().between(1_000, 2_000).map("z"::repeat))
                    .filter((id) -> !id.equals(ORDERS) && !id.equals(IDLE))))
            .map((id) -> new Value(id, false, id));
    }

    static Arbitrary<String> unknownIds() {
        return Arbitraries.oneOf(Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(30),
                Arbitraries.of("ORDERS", "Orders", "orders ", " idle", "orders0", "ordersidle", "null", "0"),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(30), Arbitraries.integers().between(1_000, 2_000).map("y"::repeat))
            .filter((id) -> !id.equals(ORDERS) && !id.equals(IDLE) && !id.isBlank() && !id.equals(".")
                    && !id.equals(".."));
    }

    // ------------------------------------------------------------------ requests the endpoint judges

    /** One parameter: where it goes and as what. */
    private record Param(String name, Value value, boolean inQuery, boolean asNull) {
    }

    private static Arbitrary<Optional<Param>> param(String name, Arbitrary<Value> values, int percentPresent) {
        Arbitrary<Param> present = Combinators.combine(values, Arbitraries.integers().between(0, 9))
            .as((value, place) -> new Param(name, value, place < 3, place == 9));
        return Arbitraries.frequencyOf(Tuple.of(percentPresent, present.map(Optional::of)),
                Tuple.of(100 - percentPresent, Arbitraries.just(Optional.empty())));
    }

    /**
     * A JSON object of plain values and query parameters: the six parameters of the operation (the {@code id} too,
     * which Boot's actuator takes from the body and the query over the path), each absent or given as text, number,
     * boolean or {@code null}, and unknown ones.
     */
    static Arbitrary<Request> judged() {
        Arbitrary<Optional<Param>> id = param("id", ids(), 10);
        Arbitrary<Optional<Param>> action = param("action", actions(), 92);
        Arbitrary<Optional<Param>> position = param("position", positions(), 30);
        Arbitrary<Optional<Param>> offset = param("offset", offsets(), 30);
        Arbitrary<Optional<Param>> timestamp = param("timestamp", timestamps(), 25);
        Arbitrary<Optional<Param>> partitions = param("partitions", partitions(), 35);
        Arbitrary<List<Param>> extra = Combinators
            .combine(Arbitraries.oneOf(Arbitraries.of("Action", "ACTION", "Offset", "position ", "partition", "topic",
                    "ids", "target", ""), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12)
                        .filter((name) -> !List.of("id", "action", "position", "offset", "timestamp", "partitions")
                            .contains(name))),
                    Arbitraries.oneOf(actions(), offsets(), junk().map((text) -> new Value(text, false, BAD))),
                    Arbitraries.integers().between(0, 9))
            .as((name, value, place) -> new Param(name, value, place < 3, place == 9))
            .list()
            .ofMaxSize(3)
            .uniqueElements(Param::name);
        Arbitrary<Value> pathId = pathIds();
        Arbitrary<Boolean> emptyBodyAsBraces = Arbitraries.of(true, false);
        return Combinators.combine(List.of(id, action, position, offset, timestamp, partitions))
            .as((params) -> params)
            .flatMap((params) -> Combinators.combine(pathId, extra, emptyBodyAsBraces)
                .as((path, unknown, braces) -> judged(path.text(), params, unknown, braces)))
            .filter((request) -> request != null);
    }

    /**
     * Valid requests only, in the body or the query, so that there are enough of them: what the endpoint must do is
     * as much part of the property as what it must refuse.
     */
    static Arbitrary<Request> valid() {
        Arbitrary<Value> action = Arbitraries.of("pause", "resume", "start", "seek", "seek", "seek")
            .map((name) -> new Value(name, false, name));
        Arbitrary<Optional<Param>> target = Arbitraries.oneOf(
                positions().filter((value) -> value.meaning() != BAD).map((value) -> new Param("position", value, false, false)),
                offsets().filter((value) -> value.meaning() instanceof Long n && n >= 0 && n <= RECORDS)
                    .map((value) -> new Param("offset", value, false, false)),
                timestamps().filter((value) -> value.meaning() != BAD).map((value) -> new Param("timestamp", value, false, false)))
            .map(Optional::of);
        Arbitrary<Optional<Param>> partitions = partitions().filter((value) -> value.meaning() != BAD)
            .map((value) -> new Param("partitions", value, false, false))
            .optional();
        return Combinators.combine(action, target, partitions, Arbitraries.integers().between(0, 15))
            .as((verb, where, which, places) -> {
                Param act = new Param("action", verb, (places & 1) != 0, false);
                List<Optional<Param>> params = verb.text().equals("seek")
                        ? List.of(Optional.of(act), where.map((param) -> new Param(param.name(), param.value(),
                                (places & 2) != 0, false)), which.map((param) -> new Param(param.name(), param.value(),
                                        (places & 4) != 0, false)))
                        : List.of(Optional.of(act));
                Request request = judged(ORDERS, params, List.of(), (places & 8) != 0);
                return new Request("valid", request.path(), request.query(), request.body(), request.expect(),
                        request.action());
            });
    }

    /** A seek of {@value #ORDERS} that would be valid but for its one target: malformed, out of range or overflowing. */
    static Arbitrary<Request> oneDefect() {
        Arbitrary<Param> target = Arbitraries.oneOf(
                positions().filter((value) -> value.meaning() == BAD).map((value) -> new Param("position", value, false, false)),
                offsets().filter((value) -> !(value.meaning() instanceof Long n && n >= 0 && n <= RECORDS))
                    .map((value) -> new Param("offset", value, false, false)),
                timestamps().filter((value) -> value.meaning() == BAD).map((value) -> new Param("timestamp", value, false, false)));
        Arbitrary<Optional<Param>> partitions = partitions().filter((value) -> value.meaning() != BAD)
            .map((value) -> new Param("partitions", value, false, false))
            .optional();
        return Combinators.combine(target, partitions, Arbitraries.integers().between(0, 7)).as((where, which, places) -> {
            List<Optional<Param>> params = List.of(Optional.of(new Param("action", new Value("seek", false, "seek"),
                    (places & 1) != 0, false)), Optional.of(new Param(where.name(), where.value(), (places & 2) != 0,
                            false)), which.map((param) -> new Param(param.name(), param.value(), (places & 4) != 0, false)));
            Request request = judged(ORDERS, params, List.of(), false);
            return new Request("one-defect", request.path(), request.query(), request.body(), request.expect(),
                    request.action());
        });
    }

    private static Request judged(String pathId, List<Optional<Param>> optionals, List<Param> unknown, boolean braces) {
        Map<String, Param> params = new LinkedHashMap<>();
        optionals.forEach((param) -> param.ifPresent((found) -> params.put(found.name(), found)));
        // unknown names are ignored, in any case; the known ones never clash with them (filtered above)
        List<Param> all = new ArrayList<>(params.values());
        all.addAll(unknown);
        Collections.shuffle(all, new java.util.Random(all.hashCode()));
        String query = all.stream()
            .filter(Param::inQuery)
            .map((param) -> encodeQuery(param.name()) + "=" + encodeQuery(param.value().text()))
            .collect(Collectors.joining("&"));
        List<Param> inBody = all.stream().filter((param) -> !param.inQuery()).toList();
        String body = inBody.isEmpty() ? (braces ? "{}" : "") : inBody.stream()
            .map((param) -> quote(param.name()) + ":" + token(param))
            .collect(Collectors.joining(",", "{", "}"));

        // Boot's actuator takes the path's id, then the body's parameters, then the query's, each over the one before
        String id = pathId;
        Param idParam = params.get("id");
        if (idParam != null) {
            id = (idParam.asNull() && !idParam.inQuery()) ? null : idParam.value().text();
        }
        Expect expect;
        String effect = "";
        if (id == null) {
            expect = Expect.REFUSED;
        }
        else if (!id.equals(ORDERS) && !id.equals(IDLE)) {
            expect = Expect.NOT_FOUND;
        }
        else {
            Object action = meaning(params.get("action"));
            Object offset = meaning(params.get("offset"));
            boolean seekParams = present(params.get("position")) || present(params.get("offset"))
                    || present(params.get("timestamp")) || present(params.get("partitions"));
            if (action == null || action == BAD || offset == BAD) {
                expect = Expect.BAD_REQUEST;
            }
            else if (!action.equals("seek")) {
                if (seekParams) {
                    expect = Expect.BAD_REQUEST;
                }
                else if (id.equals(IDLE)) {
                    if (action.equals("start")) {
                        return null;
                    }
                    expect = action.equals("stop") ? Expect.OK : Expect.BAD_REQUEST;
                }
                else {
                    if (action.equals("stop")) {
                        return null;
                    }
                    expect = Expect.OK;
                }
                effect = (expect == Expect.OK) ? (String) action : "";
            }
            else {
                int targets = (present(params.get("position")) ? 1 : 0) + (present(params.get("offset")) ? 1 : 0)
                        + (present(params.get("timestamp")) ? 1 : 0);
                Object position = meaning(params.get("position"));
                Object timestamp = meaning(params.get("timestamp"));
                Object partitions = meaning(params.get("partitions"));
                boolean valid = id.equals(ORDERS) && targets == 1 && position != BAD && timestamp != BAD
                        && partitions != BAD && (offset == null || ((Long) offset >= 0 && (Long) offset <= RECORDS));
                expect = valid ? Expect.OK : Expect.BAD_REQUEST;
                effect = valid ? "seek" : "";
            }
        }
        String path = encodePath(pathId);
        if (id == null || all.stream().anyMatch((param) -> param.inQuery() && param.name().isEmpty())
                || path.length() + query.length() > MAX_REQUEST_LINE) {
            // refused before the endpoint: by Boot's actuator, a selector given as null (400, error page); by Tomcat, a
            // query parameter without a name (400, error page) and a request line longer than its 8 KB (400)
            expect = Expect.REFUSED;
            effect = "";
        }
        return new Request("judged", path, query, body.getBytes(StandardCharsets.UTF_8), expect, effect);
    }

    private static boolean present(Param param) {
        return param != null && !(param.asNull() && !param.inQuery());
    }

    private static Object meaning(Param param) {
        return present(param) ? param.value().meaning() : null;
    }

    private static String token(Param param) {
        if (param.asNull()) {
            return "null";
        }
        return param.value().bare() ? param.value().text() : quote(param.value().text());
    }

    private static String quote(String text) {
        return json.writeValueAsString(text);
    }

    private static String encodeQuery(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Percent-encodes every byte but the unreserved characters, so that the path has one segment. */
    static String encodePath(String segment) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '~' || c == '.') {
                encoded.append(c);
            }
            else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }

    // ------------------------------------------------------------------ refused before the endpoint

    /** Bodies that are not a JSON object of plain values: Spring MVC refuses them (400) before the endpoint runs. */
    static Arbitrary<Request> malformedBodies() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.of("pause", "action=pause", "{action:pause}", "{'action':'pause'}", "{\"action\":\"pause\"",
                        "{\"action\" \"pause\"}", "{\"action\":\"pause\",}", "[{\"action\":\"pause\"}]", "[]", "42",
                        "\"pause\"", "true", "{\"action\":pause}", "{\"action\":\"pa\u0001use\"}",
                        "{\"action\":{\"name\":\"pause\"}}", "{\"action\":[\"pause\"]}", "{\"offset\":[1]}",
                        "{\"action\":\"seek\",\"position\":{}}", "{\"action\":\"pause\"}{\"action\":\"resume\"}",
                        "{\"action\":\"seek\",\"offset\":0x10}", "{\"action\":\"seek\",\"offset\":01}",
                        "{\"action\":\"seek\",\"offset\":NaN}", "{\"action\":\"pause\"} // resume"),
                Arbitraries.integers().between(600, 20_000).map((depth) -> "[".repeat(depth) + "]".repeat(depth)),
                Arbitraries.integers().between(600, 20_000)
                    .map((depth) -> "{\"action\":\"pause\",\"x\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth + 1)),
                Arbitraries.integers().between(1_001, 100_000)
                    .map((digits) -> "{\"action\":\"seek\",\"offset\":1" + "0".repeat(digits) + "}"),
                Arbitraries.strings().all().ofMaxLength(200).map((junk) -> "#" + junk),
                Arbitraries.strings().withChars("{}[]\":,0a ").ofMinLength(1).ofMaxLength(60)
                    .filter((junk) -> !junk.isBlank()).map((junk) -> "[" + junk));
        Arbitrary<byte[]> bytes = Arbitraries.oneOf(text.map((value) -> value.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200).map((raw) -> {
                    byte[] body = new byte[raw.length + 12];
                    System.arraycopy("{\"action\":\"".getBytes(StandardCharsets.US_ASCII), 0, body, 0, 11);
                    System.arraycopy(raw, 0, body, 11, raw.length);
                    body[body.length - 1] = (byte) 0xff;
                    return body;
                }));
        return Combinators.combine(ids(), bytes)
            .as((id, body) -> new Request("malformed-body", encodePath(id.text()), "", body, Expect.REFUSED, ""));
    }

    /**
     * Paths with an id that is no container's, encoded or not: slashes, dots, percent signs, control characters,
     * other scripts, thousands of characters, extra segments. The body would pause {@value #ORDERS} if the path
     * reached it.
     */
    static Arbitrary<Request> hostilePaths() {
        Arbitrary<String> encoded = Arbitraries.oneOf(
                Arbitraries.strings().withChars("/\\.;%?#&= \u0000\t\r\n'\"<>|*:@!$,+[]{}^`").ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(50),
                Arbitraries.of("orders/", "/orders", "orders%2F", "orders\u0000", "orders\n", "..", ".", "%2e%2e",
                        "orders/..", "../orders", "orders%00", "%", "%25", "\u00f6rders", "ｏｒｄｅｒｓ"),
                Arbitraries.integers().between(300, 1_500).map("a/.%"::repeat))
            .filter((id) -> !id.equals(ORDERS) && !id.equals(IDLE))
            .map(WriteRequests::encodePath);
        Arbitrary<String> raw = Arbitraries.of("orders/pause", "orders/x/y", "nobody/orders", "", "./nobody",
                "nobody/", "orders/", "nobody/..", "x;y", "nobody;id=1");
        return Combinators.combine(Arbitraries.oneOf(encoded, raw), Arbitraries.of("pause", "seek"))
            .as((path, action) -> new Request("hostile-path", path, "",
                    (action.equals("pause") ? "{\"action\":\"pause\"}"
                            : "{\"action\":\"seek\",\"position\":\"beginning\"}").getBytes(StandardCharsets.UTF_8),
                    Expect.REFUSED, ""));
    }

}
