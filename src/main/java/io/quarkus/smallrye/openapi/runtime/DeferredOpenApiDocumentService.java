package io.quarkus.smallrye.openapi.runtime;

import io.quarkus.arc.Unremovable;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.quarkus.smallrye.openapi.runtime.filter.AutoSecurityFilter;
import io.smallrye.openapi.runtime.io.Format;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Quarkus' OpenAPI document service, with the document prepared after start-up instead of during it.
 *
 * <p>Quarkus 3.34 prepares the served document on the main thread while the application starts
 * ({@code OpenApiRecorder.prepareDocument}: the build's document parsed with Jackson, filtered, written again as
 * JSON and as YAML with SnakeYAML), and offers no property to defer it: it was 28 % of the main thread's samples
 * to the first timeouts answer (BENCHMARKS.md, "Cold start"). This alternative records the request and does the
 * same work, with the same inputs, {@code timeout-policy.openapi.prepare-delay} after start-up on a background
 * thread, or at the first request for the document if that comes earlier. The document served is byte for byte
 * the one Quarkus would have served (every OpenAPI filter of this service runs at build time).
 *
 * <p>It lives in Quarkus' package because {@code prepareDocument} is package-private and the recorder calls it
 * on whatever bean resolves to {@link OpenApiDocumentService}. That override only holds where one class loader
 * loads both this class and Quarkus' (the packaged jar's); in tests and dev mode the application's classes have
 * a loader of their own, so there the bean is absent and Quarkus prepares the document during start as before.
 * PackagedServiceIT checks the packaged jar's document.
 */
@IfBuildProfile("prod")
@Alternative
@Priority(1)
@ApplicationScoped
@Unremovable
public class DeferredOpenApiDocumentService extends OpenApiDocumentService {

    /** The documents the recorder asked for, prepared at the first use; guarded by this. */
    private final List<Runnable> pending = new ArrayList<>();

    @ConfigProperty(name = "timeout-policy.openapi.prepare-delay")
    Duration prepareDelay;

    @Override
    synchronized void prepareDocument(AutoSecurityFilter autoSecurityFilter,
            Map<OpenApiFilter.RunStage, List<String>> filters, String documentName) {
        // The recorder runs with the application's class loader as context; the deferred run may not.
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        pending.add(() -> withContextLoader(loader,
                () -> super.prepareDocument(autoSecurityFilter, filters, documentName)));
    }

    @Override
    public byte[] getDocument(String documentName, Format format) {
        prepareNow();
        return super.getDocument(documentName, format);
    }

    void onStart(@Observes StartupEvent event) {
        CompletableFuture.runAsync(this::prepareNow,
                CompletableFuture.delayedExecutor(prepareDelay.toMillis(), TimeUnit.MILLISECONDS));
    }

    private synchronized void prepareNow() {
        if (pending.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        pending.forEach(Runnable::run);
        pending.clear();
        Log.debugf("OpenAPI document prepared in %d ms", (System.nanoTime() - start) / 1_000_000);
    }

    private static void withContextLoader(ClassLoader loader, Runnable work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            work.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
