package io.timeoutpolicy.client.jdbc;

import io.timeoutpolicy.client.integration.PoolReports;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/**
 * A physical connection whose {@code isValid} — what a pool calls to validate a connection before lending it
 * (HikariCP, Agroal) — is reported as {@code health_check}; every other call goes straight to the driver's.
 */
final class ReportingConnections {

    private static final Method IS_VALID;

    static {
        try {
            IS_VALID = Connection.class.getMethod("isValid", int.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ReportingConnections() {
    }

    static Connection wrap(Connection physical, PoolReports reports) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Handler(physical, reports));
    }

    private record Handler(Connection physical, PoolReports reports) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.equals(IS_VALID)) {
                return isValid((Integer) args[0]);
            }
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "timeout-policy(" + physical + ")";
                };
            }
            try {
                return method.invoke(physical, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private boolean isValid(int seconds) throws java.sql.SQLException {
            long start = System.nanoTime();
            try {
                boolean valid = physical.isValid(seconds);
                reports.healthChecked(start, seconds, valid, null);
                return valid;
            } catch (java.sql.SQLException | RuntimeException e) {
                reports.healthChecked(start, seconds, false, e);
                throw e;
            }
        }
    }
}
