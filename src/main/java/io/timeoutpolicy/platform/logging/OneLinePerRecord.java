package io.timeoutpolicy.platform.logging;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Log lines that cannot be forged: a logged value carrying CR, LF or another control character (a deployment
 * name, a service, a database error quoting a refused row) is printed escaped ({@code \r}, {@code \n},
 * {@code \u001b}), so that every record is one line of the plain-text log and no value can fake a second one or
 * drive the terminal. The stack trace of a record is not its message and stays as it is. Installed on the console
 * handler ({@code quarkus.log.console.filter}); the JSON format escapes by itself and is left alone.
 */
@LoggingFilter(name = OneLinePerRecord.NAME)
public final class OneLinePerRecord implements Filter {

    public static final String NAME = "one-line-per-record";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord extended) {
            String message = extended.getFormattedMessage();
            if (message != null && needsEscaping(message)) {
                extended.setMessage(escape(message), ExtLogRecord.FormatStyle.NO_FORMAT);
                extended.setParameters(null);
            }
        }
        return true;
    }

    static boolean needsEscaping(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Control characters as Java escapes; a tab stays (it cannot start a line). */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static boolean isControl(char c) {
        return c != '\t' && (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029');
    }
}
