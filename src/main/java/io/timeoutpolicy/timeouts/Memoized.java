package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.policy.Operation;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * One memoised computation and its answers rendered as JSON: one per degraded flag and per {@code ?operation=}
 * restriction, made on first use. Two threads rendering the same answer at once both write the same bytes.
 */
final class Memoized {

    private static final int SHAPES = Operation.values().length + 1;

    private final TimeoutResult result;
    private final AtomicReferenceArray<RenderedAnswer> renderings = new AtomicReferenceArray<>(2 * SHAPES);

    Memoized(TimeoutResult result) {
        this.result = result;
    }

    TimeoutResult result() {
        return result;
    }

    RenderedAnswer rendering(boolean degraded, Optional<Operation> only, Supplier<RenderedAnswer> render) {
        int slot = (degraded ? SHAPES : 0) + only.map(operation -> operation.ordinal() + 1).orElse(0);
        RenderedAnswer known = renderings.get(slot);
        if (known == null) {
            known = render.get();
            renderings.set(slot, known);
        }
        return known;
    }
}
