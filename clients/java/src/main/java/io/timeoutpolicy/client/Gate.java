package io.timeoutpolicy.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deploy pipeline's bypass gate whose exit code is the decision (SPEC 4.5):
 * {@code java -cp … io.timeoutpolicy.client.Gate --environment E --failures N [--types a,b] [--service S]
 * [--deployment D] [--requested-by R] [--manual-override] [--json] [--timeout SECONDS]}. URL and key from
 * TIMEOUT_POLICY_URL and TIMEOUT_POLICY_KEY (a key with the deployer role).
 *
 * <p>Exit codes: 0 the deployment may proceed (bypass), 1 it may not (refused), 2 no decision (the service could
 * not be asked, refused the key or the input, or the command line is wrong).
 */
public final class Gate {

    public static final int BYPASS = 0;
    public static final int REFUSED = 1;
    public static final int COULD_NOT_ASK = 2;

    private static final Set<String> VALUED = Set.of("--environment", "--failures", "--types", "--service",
            "--deployment", "--requested-by", "--timeout");
    private static final String USAGE = "usage: Gate --environment E --failures N [--types a,b] [--service S]"
            + " [--deployment D] [--requested-by R] [--manual-override] [--json] [--timeout SECONDS]";
    private static final Set<String> FLAGS = Set.of("--manual-override", "--json");
    /** The decision as JSON with the API's snake_case names, for {@code --json}. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).enable(SerializationFeature.INDENT_OUTPUT);

    private Gate() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the gate and answers its exit code; the client comes from the environment variables. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try (TimeoutPolicyClient client = TimeoutPolicyClient.builder().flushAtShutdown(false).build()) {
            return run(client, args, out, err);
        }
    }

    static int run(TimeoutPolicyClient client, String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options;
        BypassRequest request;
        Duration timeout;
        try {
            options = parse(args);
            request = request(options);
            timeout = Duration.ofMillis((long) (Double.parseDouble(options.getOrDefault("--timeout", "10")) * 1000));
        } catch (IllegalArgumentException e) {
            err.println("timeout-policy gate: " + e.getMessage() + "\n" + USAGE);
            return COULD_NOT_ASK;
        }
        Decision decision;
        try {
            decision = client.bypassDecision(request, timeout);
        } catch (TimeoutPolicyException.DecisionUnavailable | IllegalArgumentException e) {
            err.println("timeout-policy gate: no decision: " + e.getMessage());
            return COULD_NOT_ASK;
        }
        if (options.containsKey("--json")) {
            out.println(json(decision));
        } else {
            out.println("bypass=" + decision.bypass() + " rule=" + decision.rule() + " decision=" + decision.id()
                    + (decision.degraded() ? " (degraded)" : ""));
            out.println(decision.reason());
        }
        return decision.bypass() ? BYPASS : REFUSED;
    }

    private static BypassRequest request(Map<String, String> options) {
        String environment = options.get("--environment");
        String failures = options.get("--failures");
        if (environment == null || failures == null) {
            throw new IllegalArgumentException("--environment and --failures are required");
        }
        int count;
        try {
            count = Integer.parseInt(failures);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--failures must be a whole number, got " + failures);
        }
        String requestedBy = options.getOrDefault("--requested-by", System.getenv("TIMEOUT_POLICY_REQUESTED_BY"));
        List<String> types = Arrays.asList(options.getOrDefault("--types", "").split(","));
        return new BypassRequest(environment, count, types, options.containsKey("--manual-override"),
                options.get("--service"), options.get("--deployment"), requestedBy);
    }

    private static String json(Decision decision) {
        try {
            return JSON.writeValueAsString(decision);
        } catch (JsonProcessingException e) { // a record of strings, numbers and lists always serialises
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (FLAGS.contains(name)) {
                options.put(name, "true");
            } else if (VALUED.contains(name) && i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument " + name);
            }
        }
        return options;
    }
}
