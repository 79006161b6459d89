package io.timeoutpolicy.client.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.timeoutpolicy.client.StandIns;
import io.timeoutpolicy.client.integration.IntegrationSettings;
import io.timeoutpolicy.client.integration.TimeoutPolicyIntegration;
import io.timeoutpolicy.client.hikari.TimeoutPolicyHikari;
import io.timeoutpolicy.client.jdbc.TimeoutPolicyDataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * SPEC 9.1 point 4, in one run: what the integration adds (a) to a HikariCP acquisition that is not reported
 * (target under 5 µs), against the same pool without it, and (b) to a physical pgJDBC connect (target under 1 ms
 * at p99), against the same connect without it; (c) isolates the wrapper's own work on a connect that costs
 * nothing, whose p99 is the added latency alone. Against the local PostgreSQL; reports go to a stand-in that
 * answers 201 (rate-capped at 200 a second: the rest are dropped, oldest first, as in a busy process).
 * Run: see docs/integrations-jvm.md ("Cost").
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class PoolOverheadBenchmark {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    StandIns.Answering service;
    TimeoutPolicyIntegration integration;
    HikariDataSource barePool;
    HikariDataSource integratedPool;
    PGSimpleDataSource bareConnects;
    TimeoutPolicyDataSource integratedConnects;
    TimeoutPolicyDataSource wrapperOnly;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        service = new StandIns.Answering(201, "application/json",
                "{\"recorded\": 0, \"duplicates\": 0, \"violations\": [], \"alerts\": []}");
        integration = TimeoutPolicyIntegration.of(IntegrationSettings.from(n -> null).withUrl(service.url)
                .withEnvironment("development").withService("bench").withCacheDir(Files.createTempDirectory("b-")));
        barePool = new HikariDataSource(hikari());
        HikariConfig config = hikari();
        TimeoutPolicyHikari.configure(config, integration);
        config.setMaximumPoolSize(2);
        integratedPool = new HikariDataSource(config);
        bareConnects = pg();
        integratedConnects = TimeoutPolicyDataSource.wrap(pg(), integration);
        Connection constant = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> null);
        wrapperOnly = TimeoutPolicyDataSource.wrap(new Constant(constant), integration);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        barePool.close();
        integratedPool.close();
        System.out.println("reporting: " + integration.client().reportingStats());
        integration.close();
        service.close();
    }

    private static HikariConfig hikari() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(URL);
        config.setUsername("postgres");
        config.setMaximumPoolSize(2);
        return config;
    }

    private static PGSimpleDataSource pg() {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(URL);
        pg.setUser("postgres");
        return pg;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void acquireBare() throws SQLException {
        barePool.getConnection().close();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void acquireIntegrated() throws SQLException {
        integratedPool.getConnection().close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void connectBare() throws SQLException {
        bareConnects.getConnection().close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void connectIntegrated() throws SQLException {
        integratedConnects.getConnection().close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Connection connectWrapperAlone() throws SQLException {
        return wrapperOnly.getConnection();
    }

    /** A DataSource whose connect costs nothing: what remains is the wrapper and its report. */
    record Constant(Connection connection) implements DataSource {
        public Connection getConnection() { return connection; }
        public Connection getConnection(String u, String p) { return connection; }
        public PrintWriter getLogWriter() { return null; }
        public void setLogWriter(PrintWriter out) { }
        public void setLoginTimeout(int seconds) { }
        public int getLoginTimeout() { return 0; }
        public Logger getParentLogger() { return Logger.getGlobal(); }
        public <T> T unwrap(Class<T> type) { return null; }
        public boolean isWrapperFor(Class<?> type) { return false; }
    }
}
