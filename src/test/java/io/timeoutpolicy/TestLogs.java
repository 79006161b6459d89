package io.timeoutpolicy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.formatters.PatternFormatter;

/** The log records of the test application while open, and each as the console would print it. */
public final class TestLogs extends Handler implements AutoCloseable {

    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
    private final PatternFormatter console = new PatternFormatter(
            ConfigProvider.getConfig().getValue("quarkus.log.console.format", String.class));

    private TestLogs() {
    }

    /** Starts collecting every record of every logger, from now until {@link #close()}. */
    public static TestLogs open() {
        TestLogs logs = new TestLogs();
        Logger.getLogger("").addHandler(logs);
        return logs;
    }

    @Override
    public void publish(LogRecord record) {
        ExtLogRecord extended = ExtLogRecord.wrap(record);
        // The MDC is the logging thread's (Vert.x: the request's context): copy it before that thread moves on.
        extended.copyAll();
        records.add(extended);
    }

    public List<ExtLogRecord> records() {
        return List.copyOf(records);
    }

    /** The records as lines in the configured console format ({@code quarkus.log.console.format}). */
    public List<String> consoleLines() {
        return records.stream().map(console::format).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
