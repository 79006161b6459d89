package io.timeoutpolicy.client;

import java.util.List;

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

    Timeouts times(String operation, double factor) {
        return new Timeouts(
                scale(operation, "initialization", initializationTimeout, factor),
                scale(operation, "table_setup", tableSetupTimeout, factor),
                scale(operation, "connection", connectionTimeout, factor),
                scale(operation, "pool", poolTimeout, factor),
                scale(operation, "health_check", healthCheckTimeout, factor));
    }

    Timeouts times(double factor) {
        return new Timeouts(initializationTimeout * factor, tableSetupTimeout * factor, connectionTimeout * factor,
                poolTimeout * factor, healthCheckTimeout * factor);
    }

    private static double scale(String operation, String which, double value, double factor) {
        return operation.equals(which) ? value * factor : value;
    }
}
