package io.timeoutpolicy.client;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** The five timeouts of an environment, in seconds (SPEC 2's operations, in the service's order). */
public record Timeouts(double initializationTimeout, double tableSetupTimeout, double connectionTimeout,
        double poolTimeout, double healthCheckTimeout) {

    /** SPEC 2: the operations an attempt reports, whose timeout keys are {@code <operation>_timeout}. */
    public static final List<String> OPERATIONS =
            List.of("initialization", "table_setup", "connection", "pool", "health_check");

    /** The timeout of {@code operation} ({@code "connection"}) or of its key ({@code "connection_timeout"}). */
    public double forOperation(String operation) {
        String name = operation.endsWith("_timeout") ? operation.substring(0, operation.length() - 8) : operation;
        return switch (name) {
            case "initialization" -> initializationTimeout;
            case "table_setup" -> tableSetupTimeout;
            case "connection" -> connectionTimeout;
            case "pool" -> poolTimeout;
            case "health_check" -> healthCheckTimeout;
            default -> throw new IllegalArgumentException("unknown operation '" + operation + "'; known: " + OPERATIONS);
        };
    }

    /** The five timeouts, each given by {@code byOperation} from its operation's name. */
    static Timeouts of(ToDoubleFunction<String> byOperation) {
        return new Timeouts(byOperation.applyAsDouble("initialization"), byOperation.applyAsDouble("table_setup"),
                byOperation.applyAsDouble("connection"), byOperation.applyAsDouble("pool"),
                byOperation.applyAsDouble("health_check"));
    }
}
