package io.timeoutpolicy.timeouts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * An answer serialised once, but for the value of its one {@code computed_at}, which is written per request. A
 * fleet asks for the same answer thousands of times between two changes of its inputs, and serialising it per
 * request was a third of the cost of GET …/timeouts (JFR, BENCHMARKS.md). The bytes are those the API's own
 * ObjectMapper writes for the whole answer: {@link #of} checks that once, and a unit test holds the two equal.
 */
final class RenderedAnswer {

    private static final byte[] COMPUTED_AT = "\"computed_at\":\"".getBytes(StandardCharsets.UTF_8);

    /** Everything up to the opening quote of computed_at's value, and everything from its closing quote. */
    private final byte[] head;
    private final byte[] tail;

    private RenderedAnswer(byte[] head, byte[] tail) {
        this.head = head;
        this.tail = tail;
    }

    /**
     * Renders {@code answer}, whose one {@code computed_at} is {@code computedAt}. A quote inside a string value is
     * escaped, so {@code "computed_at":"} can only be the field itself.
     */
    static RenderedAnswer of(Object answer, Instant computedAt, ObjectMapper mapper) {
        byte[] whole;
        try {
            whole = mapper.writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        int value = lastIndexOf(whole, COMPUTED_AT) + COMPUTED_AT.length;
        int end = value;
        while (end < whole.length && whole[end] != '"') {
            end++;
        }
        RenderedAnswer rendered = new RenderedAnswer(Arrays.copyOf(whole, value),
                Arrays.copyOfRange(whole, end, whole.length));
        if (value < COMPUTED_AT.length || !Arrays.equals(rendered.at(computedAt), whole)) {
            throw new IllegalStateException("the rendered answer has no computed_at written as Instant.toString");
        }
        return rendered;
    }

    /** The whole answer, computed at {@code computedAt} (written as ISO-8601, as Jackson writes instants). */
    byte[] at(Instant computedAt) {
        int length = IsoInstant.length(computedAt);
        if (length < 0) {
            return join(computedAt.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] body = new byte[head.length + length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        int at = IsoInstant.write(computedAt, body, head.length);
        System.arraycopy(tail, 0, body, at, tail.length);
        return body;
    }

    /**
     * The same answer as {@link #at}, as a buffer over the rendered parts and the bytes of {@code computed_at}: what
     * a direct answer writes, without a copy of the whole answer per request (a third of what such a request
     * allocated, BENCHMARKS.md). The parts are never written to.
     */
    ByteBuf buffer(Instant computedAt) {
        int length = IsoInstant.length(computedAt);
        if (length < 0) {
            return Unpooled.wrappedBuffer(at(computedAt));
        }
        byte[] instant = new byte[length];
        IsoInstant.write(computedAt, instant, 0);
        return Unpooled.wrappedBuffer(head, instant, tail);
    }

    private byte[] join(byte[] instant) {
        byte[] body = Arrays.copyOf(head, head.length + instant.length + tail.length);
        System.arraycopy(instant, 0, body, head.length, instant.length);
        System.arraycopy(tail, 0, body, head.length + instant.length, tail.length);
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
