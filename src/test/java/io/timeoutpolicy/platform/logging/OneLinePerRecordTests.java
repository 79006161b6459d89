package io.timeoutpolicy.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.Test;

/** A logged value cannot forge a log line: the record is printed as one line, its control characters escaped. */
class OneLinePerRecordTests {

    private static final PatternFormatter CONSOLE = new PatternFormatter("%-5p [%c] %s%e%n");

    @Test
    void a_crlf_in_a_logged_value_is_printed_escaped_on_the_same_line() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "Bypass %s for %s (%s)", ExtLogRecord.FormatStyle.PRINTF,
                "io.timeoutpolicy.bypass.BypassService");
        record.setParameters(new Object[] {"granted", "staging", "v1\r\nERROR [io.forged] all data deleted\u001b[0m"});

        assertThat(new OneLinePerRecord().isLoggable(record)).isTrue();
        String line = CONSOLE.format(record);

        assertThat(line.lines()).hasSize(1);
        assertThat(line).contains("(v1\\r\\nERROR [io.forged] all data deleted\\u001b[0m)");
    }

    @Test
    void a_record_without_control_characters_is_left_as_it_is() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "Policy of %s is now version %d",
                ExtLogRecord.FormatStyle.PRINTF, "x");
        record.setLoggerName("x");
        record.setParameters(new Object[] {"staging", 2});

        new OneLinePerRecord().isLoggable(record);

        assertThat(record.getParameters()).hasSize(2);
        assertThat(CONSOLE.format(record)).isEqualTo("INFO  [x] Policy of staging is now version 2\n");
        assertThat(OneLinePerRecord.escape("tab\tstays")).isEqualTo("tab\tstays");
    }
}
