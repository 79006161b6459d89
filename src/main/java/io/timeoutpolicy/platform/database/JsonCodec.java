package io.timeoutpolicy.platform.database;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/** Items of a write-behind buffer as JSON in its journal: the service's own mapper, so every type it answers fits. */
public final class JsonCodec<T> implements WriteBehind.Codec<T> {

    private final ObjectMapper mapper;
    private final Class<T> type;

    private JsonCodec(ObjectMapper mapper, Class<T> type) {
        this.mapper = mapper;
        this.type = type;
    }

    public static <T> WriteBehind.Codec<T> of(ObjectMapper mapper, Class<T> type) {
        return new JsonCodec<>(mapper, type);
    }

    /** Items kept as their {@code J} part: {@code toJournal} takes it out, {@code fromJournal} makes an item again. */
    public static <T, J> WriteBehind.Codec<T> of(ObjectMapper mapper, Class<J> type, Function<T, J> toJournal,
            Function<J, T> fromJournal) {
        JsonCodec<J> json = new JsonCodec<>(mapper, type);
        return new WriteBehind.Codec<>() {
            @Override
            public byte[] encode(T item) {
                return json.encode(toJournal.apply(item));
            }

            @Override
            public T decode(byte[] bytes) {
                return fromJournal.apply(json.decode(bytes));
            }
        };
    }

    @Override
    public byte[] encode(T item) {
        try {
            return mapper.writeValueAsBytes(item);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + type.getSimpleName() + " to the journal", e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        try {
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + type.getSimpleName() + " from the journal", e);
        }
    }
}
