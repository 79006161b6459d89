package io.timeoutpolicy.timeouts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * A timeouts answer serialised once, up to its last field: only {@code computed_at} is written per request.
 * A fleet asks for the same answer thousands of times between two changes of its inputs, and serialising
 * it per request was a third of the cost of GET …/timeouts (JFR, BENCHMARKS.md). The bytes are those the
 * API's own ObjectMapper writes for the whole answer; a unit test holds the two equal.
 */
final class RenderedAnswer {

    private static final byte[] COMPUTED_AT = "\"computed_at\":".getBytes(StandardCharsets.UTF_8);

    private final byte[] head;

    private RenderedAnswer(byte[] head) {
        this.head = head;
    }

    /** Renders everything of {@code answer} but the value of {@code computed_at}, which must be its last field. */
    static RenderedAnswer of(TimeoutsAnswer answer, ObjectMapper mapper) {
        byte[] whole;
        try {
            whole = mapper.writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        int field = lastIndexOf(whole, COMPUTED_AT);
        RenderedAnswer rendered = new RenderedAnswer(Arrays.copyOf(whole, field + COMPUTED_AT.length));
        if (!Arrays.equals(rendered.at(answer.computedAt()), whole)) {
            throw new IllegalStateException("computed_at is not the last field of the rendered answer");
        }
        return rendered;
    }

    /** The whole answer, computed at {@code computedAt} (written as ISO-8601, as Jackson writes instants). */
    byte[] at(Instant computedAt) {
        byte[] instant = computedAt.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = Arrays.copyOf(head, head.length + instant.length + 3);
        int at = head.length;
        body[at++] = '"';
        System.arraycopy(instant, 0, body, at, instant.length);
        at += instant.length;
        body[at++] = '"';
        body[at] = '}';
        return body;
    }

    private static int lastIndexOf(byte[] bytes, byte[] part) {
        for (int start = bytes.length - part.length; start >= 0; start--) {
            if (Arrays.equals(bytes, start, start + part.length, part, 0, part.length)) {
                return start;
            }
        }
        return -1;
    }
}
