package io.timeoutpolicy.bypass;

import io.timeoutpolicy.platform.http.QueryParams;
import io.timeoutpolicy.platform.problem.ProblemException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * The filters and page position of an audit query. The cursor is opaque to clients: the (decided_at, id)
 * of the last decision of the previous page, so pages stay correct while new decisions arrive.
 */
public record DecisionQuery(String environment, String service, String deployment, Boolean bypass, Instant since,
        Instant until, int limit, Instant afterDecidedAt, UUID afterId) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    /** Parses the query parameters of GET /bypass-decisions; every malformed one is a 400. */
    public static DecisionQuery parse(String environment, String service, String deployment, String bypass,
            String since, String until, String limit, String cursor) {
        Cursor position = cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor);
        return new DecisionQuery(blankToNull(environment) == null ? null : environment.toLowerCase(Locale.ROOT),
                blankToNull(service), blankToNull(deployment), bool(bypass), QueryParams.instant(since, "since"),
                QueryParams.instant(until, "until"), limit(limit), position == null ? null : position.decidedAt(),
                position == null ? null : position.id());
    }

    /** The position after a decision, as the opaque cursor of the next page. */
    public static String cursorAfter(BypassDecision last) {
        return new Cursor(last.decidedAt(), last.id()).encode();
    }

    private record Cursor(Instant decidedAt, UUID id) {
        String encode() {
            ByteBuffer bytes = ByteBuffer.allocate(24);
            bytes.putLong(ChronoUnit.MICROS.between(Instant.EPOCH, decidedAt));
            bytes.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
        }

        static Cursor decode(String text) {
            try {
                byte[] raw = Base64.getUrlDecoder().decode(text.trim().getBytes(StandardCharsets.US_ASCII));
                if (raw.length != 24) {
                    throw new IllegalArgumentException("length");
                }
                ByteBuffer bytes = ByteBuffer.wrap(raw);
                Instant at = Instant.EPOCH.plus(bytes.getLong(), ChronoUnit.MICROS);
                return new Cursor(at, new UUID(bytes.getLong(), bytes.getLong()));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidField("cursor", "is not a cursor this service gave out");
            }
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static Boolean bool(String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.invalidField("bypass", "must be true or false");
        };
    }

    private static int limit(String value) {
        if (blankToNull(value) == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the same answer as an out-of-range number
        }
        throw ProblemException.invalidField("limit", "must be an integer from 1 to " + MAX_LIMIT);
    }
}
