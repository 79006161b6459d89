package io.timeoutpolicy.platform.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.micrometer.runtime.binder.vertx.HttpRequestMetric;
import io.vertx.core.Vertx;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code http_server_requests_seconds} for the 200s a router route answers itself ({@code DirectAnswers}), into the
 * very series Quarkus' HTTP binder would have written, from the same start.
 *
 * <p>The binder builds the series' tags and looks the timer up in the registry on every response: 1.9 µs of a GET's
 * 38 in the profile (BENCHMARKS.md, issue 31). Such a request is instead tagged {@value #TIMED_HERE}, which the
 * binder ignores ({@code quarkus.micrometer.binder.http-server.ignore-patterns}), and recorded here on a timer
 * looked up once per route template. The start is the binder's own sample, taken when the request began.
 *
 * <p>A singleton: it is called on every GET, and an application-scoped bean's client proxy looks its instance up
 * on every call.
 */
@Singleton
public class DirectTimers {

    /** The uri template that tells the binder a request is timed here. */
    public static final String TIMED_HERE = "/timed-by-route";

    private final MeterRegistry registry;
    private final Map<String, Timer> okByTemplate = new ConcurrentHashMap<>();

    DirectTimers(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Before the answer ends: the binder leaves this request to {@link #ok}. */
    public static void timedHere() {
        Vertx.currentContext().putLocal(UriTags.TEMPLATE_KEY, TIMED_HERE);
    }

    /** After a 200 to GET {@code template} ended: its time from the request's start, as the binder records it. */
    public void ok(RoutingContext context, String template) {
        // Another metrics SPI, or none, keeps another object (or null) there: then there is nothing to record.
        if (context.request() instanceof HttpServerRequestInternal request
                && request.metric() instanceof HttpRequestMetric metric && metric.getSample() != null) {
            metric.getSample().stop(okByTemplate.computeIfAbsent(template, this::okTimer));
        }
    }

    /** The binder's timer, name, description and tags (a 200 to GET is a SUCCESS). */
    private Timer okTimer(String template) {
        return Timer.builder("http.server.requests").description("HTTP server request processing time")
                .tags("method", "GET", "uri", template, "outcome", "SUCCESS", "status", "200").register(registry);
    }
}
