package io.timeoutpolicy.client.hikari;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;

/** The 30-line program of docs/integrations-jvm.md: TIMEOUT_POLICY_URL, _ENVIRONMENT, _KEY, _SERVICE set. */
public class HikariExample {
    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);                              // jdbc:postgresql://127.0.0.1:5432/postgres
        config.setUsername("postgres");
        TimeoutPolicyHikari.configure(config);                   // the one line
        try (HikariDataSource pool = new HikariDataSource(config); Connection c = pool.getConnection()) {
            c.createStatement().execute("SELECT 1");
            System.out.println("connectionTimeout=" + pool.getConnectionTimeout() + " validationTimeout="
                    + pool.getValidationTimeout() + " maximumPoolSize=" + pool.getMaximumPoolSize()
                    + " maxLifetime=" + pool.getMaxLifetime() + " pgjdbc=" + pool.getDataSourceProperties());
        }
        HikariConfig silent = new HikariConfig();                // a database that accepts and never answers
        silent.setJdbcUrl(args[1]);
        silent.setUsername("postgres");
        TimeoutPolicyHikari.configure(silent);
        long start = System.nanoTime();
        try (HikariDataSource pool = new HikariDataSource(silent)) {
            System.out.println("connected?!");
        } catch (Exception e) {
            System.out.printf("gave up after %d ms: %s%n", (System.nanoTime() - start) / 1_000_000, e.getMessage());
        }
    }   // at exit the queued attempts are sent (within the 2 s budget)
}
