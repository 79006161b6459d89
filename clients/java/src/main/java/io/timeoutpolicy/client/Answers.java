package io.timeoutpolicy.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service's JSON answers parsed strictly into records (SPEC 5): a missing field or one of another type is a
 * {@link ShapeException}, so that a changed API shows as "unexpected answer" and the cache answers instead.
 *
 * <p>{@link #FIELDS_READ} lists every response field read here, per operation; the contract test checks each
 * against the service's OpenAPI document, and the readers below refuse (with assertions on, as in the tests) a
 * field missing from it, so the list cannot drift from the code.
 */
final class Answers {

    static final String STARTUP_CONFIG = "GET /api/v1/environments/{environment}/startup-config";
    static final String BYPASS_DECISION = "POST /api/v1/bypass-decisions";
    static final String ATTEMPTS = "POST /api/v1/attempts";

    private static final List<String> EXPLANATION_FIELDS = List.of("branch", "base", "multiplier", "scaling_buffer",
            "capacity_buffer", "pressure_factor", "samples", "text");
    private static final List<String> TIMEOUT_KEYS = Timeouts.OPERATIONS.stream().map(o -> o + "_timeout").toList();

    /** Operation → the dotted paths of the response fields the client reads. */
    static final Map<String, Set<String>> FIELDS_READ = Map.of(
            STARTUP_CONFIG, startupConfigFields(),
            BYPASS_DECISION, Set.of("id", "environment", "bypass", "rule", "reason", "degraded", "critical_failures",
                    "manual_override", "failure_types", "service", "deployment", "policy_version", "decided_at"),
            ATTEMPTS, Set.of("duplicates"));

    private Answers() {
    }

    /** A JSON answer that is not the documented shape. */
    static final class ShapeException extends Exception {
        ShapeException(String message) {
            super(message);
        }
    }

    static StartupConfig startupConfig(JsonNode answer) throws ShapeException {
        Reader r = new Reader(STARTUP_CONFIG, answer);
        return new StartupConfig(r.text("environment"), r.integer("policy_version"), r.bool("degraded"),
                Source.SERVICE, timeouts(r, "timeouts.timeouts"), timeouts(r, "timeouts.base_timeouts"),
                explanations(r),
                r.text("timeouts.strategy"), r.bool("timeouts.adaptive"), r.integer("timeouts.samples"),
                r.texts("timeouts.pressure"), r.optionalText("timeouts.computed_at"),
                new Retry(r.integer("retry.max_retries"), r.number("retry.base_delay"), r.number("retry.max_delay"),
                        r.number("retry.exponential_base"), r.bool("retry.jitter")),
                new Pool(r.integer("pool.pool_size"), r.integer("pool.max_overflow"), r.number("pool.pool_timeout"),
                        r.integer("pool.pool_recycle"), r.bool("pool.pool_pre_ping")),
                circuit(r), null, null);
    }

    static Decision decision(JsonNode answer) throws ShapeException {
        Reader r = new Reader(BYPASS_DECISION, answer);
        return new Decision(r.text("id"), r.text("environment"), r.bool("bypass"), r.text("rule"), r.text("reason"),
                r.bool("degraded"), r.integer("critical_failures"), r.bool("manual_override"),
                r.texts("failure_types"), r.optionalText("service"), r.optionalText("deployment"),
                r.integer("policy_version"), r.text("decided_at"));
    }

    /** The {@code duplicates} count of a POST /attempts answer; 0 when it has none. */
    static int duplicates(JsonNode answer) {
        try {
            return new Reader(ATTEMPTS, answer).integer("duplicates");
        } catch (ShapeException e) {
            return 0;
        }
    }

    private static Timeouts timeouts(Reader r, String where) throws ShapeException {
        return new Timeouts(r.seconds(where + ".initialization_timeout"), r.seconds(where + ".table_setup_timeout"),
                r.seconds(where + ".connection_timeout"), r.seconds(where + ".pool_timeout"),
                r.seconds(where + ".health_check_timeout"));
    }

    /** The explanations of the five timeouts, by timeout key; a key the answer does not explain is left out. */
    private static Map<String, Explanation> explanations(Reader r) throws ShapeException {
        Map<String, Explanation> explanations = new LinkedHashMap<>();
        for (String key : TIMEOUT_KEYS) {
            String where = "timeouts.explanations." + key;
            if (r.node(where) != null) {
                explanations.put(key, new Explanation(r.text(where + ".branch"), r.number(where + ".base"),
                        r.number(where + ".multiplier"), r.number(where + ".scaling_buffer"),
                        r.number(where + ".capacity_buffer"), r.number(where + ".pressure_factor"),
                        r.integer(where + ".samples"), r.text(where + ".text")));
            }
        }
        return Collections.unmodifiableMap(explanations);
    }

    private static Circuit circuit(Reader r) throws ShapeException {
        String state = r.text("circuit.state");
        if (!Set.of("closed", "open", "half_open").contains(state)) {
            throw new ShapeException("circuit.state: unknown state '" + state + "'");
        }
        JsonNode retryAfter = r.node("circuit.retry_after_seconds");
        return new Circuit(r.text("circuit.environment"), state, r.integer("circuit.consecutive_failures"),
                r.optionalText("circuit.last_failure_at"),
                retryAfter == null || retryAfter.isNull() ? null : r.number("circuit.retry_after_seconds"));
    }

    private static Set<String> startupConfigFields() {
        List<String> fields = new ArrayList<>(List.of("environment", "policy_version", "degraded",
                "timeouts.strategy", "timeouts.adaptive", "timeouts.samples", "timeouts.pressure",
                "timeouts.computed_at", "retry.max_retries", "retry.base_delay", "retry.max_delay",
                "retry.exponential_base", "retry.jitter", "pool.pool_size", "pool.max_overflow", "pool.pool_timeout",
                "pool.pool_recycle", "pool.pool_pre_ping", "circuit.environment", "circuit.state",
                "circuit.consecutive_failures", "circuit.last_failure_at", "circuit.retry_after_seconds"));
        for (String key : TIMEOUT_KEYS) {
            fields.add("timeouts.timeouts." + key);
            fields.add("timeouts.base_timeouts." + key);
            fields.add("timeouts.explanations." + key);
            for (String field : EXPLANATION_FIELDS) {
                fields.add("timeouts.explanations." + key + "." + field);
            }
        }
        return Set.copyOf(fields);
    }

    /** Reads dotted paths of one answer, each of which must be declared in {@link #FIELDS_READ}. */
    private record Reader(String operation, JsonNode root) {

        JsonNode node(String path) throws ShapeException {
            assert FIELDS_READ.get(operation).contains(path) : path + " is read but not listed in FIELDS_READ";
            JsonNode node = root;
            for (String name : path.split("\\.")) {
                if (node == null || !node.isObject()) {
                    throw new ShapeException(path + ": expected an object on the way");
                }
                node = node.get(name);
            }
            return node;
        }

        String text(String path) throws ShapeException {
            JsonNode value = node(path);
            if (value == null || !value.isTextual()) {
                throw new ShapeException(path + ": expected a string, got " + value);
            }
            return value.asText();
        }

        String optionalText(String path) throws ShapeException {
            JsonNode value = node(path);
            return value == null || value.isNull() ? null : text(path);
        }

        List<String> texts(String path) throws ShapeException {
            JsonNode value = node(path);
            if (value == null || !value.isArray()) {
                throw new ShapeException(path + ": expected a list of strings, got " + value);
            }
            List<String> result = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw new ShapeException(path + ": expected a list of strings, got " + value);
                }
                result.add(item.asText());
            }
            return List.copyOf(result);
        }

        double number(String path) throws ShapeException {
            JsonNode value = node(path);
            if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
                throw new ShapeException(path + ": expected a number, got " + value);
            }
            return value.asDouble();
        }

        double seconds(String path) throws ShapeException {
            double value = number(path);
            if (value <= 0) {
                throw new ShapeException(path + ": expected a positive number of seconds, got " + value);
            }
            return value;
        }

        int integer(String path) throws ShapeException {
            JsonNode value = node(path);
            if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
                throw new ShapeException(path + ": expected an integer, got " + value);
            }
            return value.asInt();
        }

        boolean bool(String path) throws ShapeException {
            JsonNode value = node(path);
            if (value == null || !value.isBoolean()) {
                throw new ShapeException(path + ": expected true or false, got " + value);
            }
            return value.asBoolean();
        }
    }
}
