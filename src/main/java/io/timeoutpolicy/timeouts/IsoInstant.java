package io.timeoutpolicy.timeouts;

import java.time.Instant;

/**
 * Writes an instant as {@link Instant#toString()} and Jackson do (ISO-8601 in UTC, the fraction in groups of three
 * digits, none when zero), straight into a byte array: {@code computed_at} is the one part of a pre-rendered answer
 * written per request, and {@code Instant.toString()} went through a LocalDateTime, a StringBuilder and a String
 * each time. Instants from 1970 to 9999 only (a clock outside that range falls back to toString).
 */
final class IsoInstant {

    /** 10000-01-01T00:00:00Z: later years gain a sign and a digit. */
    private static final long END = 253_402_300_800L;

    private IsoInstant() {
    }

    /** The number of characters {@link #write} writes, or -1 when the instant is outside 1970–9999. */
    static int length(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds >= END) {
            return -1;
        }
        int nano = instant.getNano();
        return 20 + (nano == 0 ? 0 : nano % 1_000_000 == 0 ? 4 : nano % 1_000 == 0 ? 7 : 10);
    }

    /** Writes {@code instant} at {@code at}; {@link #length} must have said it can. Answers the index after it. */
    static int write(Instant instant, byte[] into, int at) {
        long seconds = instant.getEpochSecond();
        long days = seconds / 86_400;
        int ofDay = (int) (seconds % 86_400);
        // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil inverse), for non-negative days.
        long z = days + 719_468;
        long era = z / 146_097;
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        at = digits(year, 4, into, at);
        into[at++] = '-';
        at = digits(month, 2, into, at);
        into[at++] = '-';
        at = digits(day, 2, into, at);
        into[at++] = 'T';
        at = digits(ofDay / 3_600, 2, into, at);
        into[at++] = ':';
        at = digits(ofDay / 60 % 60, 2, into, at);
        into[at++] = ':';
        at = digits(ofDay % 60, 2, into, at);
        int nano = instant.getNano();
        if (nano != 0) {
            into[at++] = '.';
            if (nano % 1_000_000 == 0) {
                at = digits(nano / 1_000_000, 3, into, at);
            } else if (nano % 1_000 == 0) {
                at = digits(nano / 1_000, 6, into, at);
            } else {
                at = digits(nano, 9, into, at);
            }
        }
        into[at++] = 'Z';
        return at;
    }

    private static int digits(int value, int width, byte[] into, int at) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
