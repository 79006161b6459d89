package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.circuit.CircuitState;
import io.timeoutpolicy.policy.Operation;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One memoised computation and its answers rendered as JSON: one timeouts answer per degraded flag and per
 * {@code ?operation=} restriction, and one start-up configuration per degraded flag for the last circuit state
 * seen, each made on first use. Two threads rendering the same answer at once both write the same bytes.
 */
final class Memoized {

    private static final int SHAPES = Operation.values().length + 1;

    /** A start-up configuration rendered for one circuit state (it moves with every failed connection attempt). */
    record StartupRendering(CircuitState circuit, RenderedAnswer rendered) {
    }

    private final TimeoutResult result;
    private final AtomicReferenceArray<RenderedAnswer> renderings = new AtomicReferenceArray<>(2 * SHAPES);
    private final AtomicReferenceArray<StartupRendering> startup = new AtomicReferenceArray<>(2);

    Memoized(TimeoutResult result) {
        this.result = result;
    }

    TimeoutResult result() {
        return result;
    }

    /** The rendered timeouts answer of this shape, or null before its first use. */
    RenderedAnswer rendering(boolean degraded, Optional<Operation> only) {
        return renderings.get(slot(degraded, only));
    }

    RenderedAnswer keep(boolean degraded, Optional<Operation> only, RenderedAnswer rendered) {
        renderings.set(slot(degraded, only), rendered);
        return rendered;
    }

    /** The rendered start-up configuration for this circuit state, or null when it was rendered for another. */
    RenderedAnswer startupRendering(boolean degraded, CircuitState circuit) {
        StartupRendering known = startup.get(degraded ? 1 : 0);
        return known != null && known.circuit().equals(circuit) ? known.rendered() : null;
    }

    RenderedAnswer keepStartup(boolean degraded, CircuitState circuit, RenderedAnswer rendered) {
        startup.set(degraded ? 1 : 0, new StartupRendering(circuit, rendered));
        return rendered;
    }

    private static int slot(boolean degraded, Optional<Operation> only) {
        return (degraded ? SHAPES : 0) + (only.isEmpty() ? 0 : only.get().ordinal() + 1);
    }
}
