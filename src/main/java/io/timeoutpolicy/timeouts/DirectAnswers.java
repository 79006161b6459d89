package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.platform.http.DirectTimers;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.security.SecurityConfig;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * GET {@code …/timeouts} and {@code …/startup-config} in their everyday form, answered straight from the router.
 *
 * <p>They are the calls every backend makes at start-up, and their answers are bytes rendered once per change of
 * their inputs ({@link TimeoutService#renderedTimeouts}). Through Quarkus REST each one also paid for the
 * authentication handler, the authorizer, CORS, the static-resource lookup, the CDI request scope and the REST
 * handler chain: 27 % of the CPU of a request, more than the answer itself (BENCHMARKS.md, issue 31). None of
 * them changes an everyday request's answer, so such a request is answered here, after the service's own checks
 * (request id, URL and header limits, shutdown drain: they run first, at lower orders) and before the rest.
 *
 * <p>Everything else goes on down the usual path, which answers it exactly as before: another method, an
 * {@code Origin} (CORS), a key (authentication), an {@code Accept} other than JSON or anything, a watch
 * ({@code If-None-Match}), a query this class does not read plainly, readers that need a key, traces
 * being recorded (their route name comes from Quarkus REST), and any refusal — the service's exception sends
 * the request on, and Quarkus REST answers it with the problem it always gave. {@code DirectAnswersTests} holds
 * the two paths' answers equal.
 */
@ApplicationScoped
public class DirectAnswers {

    static final String PREFIX = "/api/v1/environments/";
    static final String TIMEOUTS = "/timeouts";
    static final String STARTUP_CONFIG = "/startup-config";
    /** The route templates Quarkus REST gives these two: the {@code uri} tag of their HTTP metrics. */
    static final String TIMEOUTS_TEMPLATE = PREFIX + "{environment}" + TIMEOUTS;
    static final String STARTUP_CONFIG_TEMPLATE = PREFIX + "{environment}" + STARTUP_CONFIG;
    private static final String JSON = "application/json;charset=UTF-8";

    private final TimeoutService service;
    private final DirectTimers timers;
    private final boolean enabled;

    DirectAnswers(TimeoutService service, DirectTimers timers, SecurityConfig security,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean tracesOff) {
        this.service = service;
        this.timers = timers;
        this.enabled = !security.readersRequireKey() && tracesOff;
    }

    /** After the service's own checks (orders up to Integer.MIN_VALUE + 3), before CORS, security and REST. */
    void install(@Observes Router router) {
        if (enabled) {
            router.route().order(Integer.MIN_VALUE + 4).handler(this::answer);
        }
    }

    private void answer(RoutingContext context) {
        HttpServerRequest request = context.request();
        String path = request.path();
        boolean timeouts = path.endsWith(TIMEOUTS);
        String environment = environment(path, timeouts ? TIMEOUTS : STARTUP_CONFIG);
        Query query = environment != null && request.method() == HttpMethod.GET && everyday(request, timeouts)
                ? Query.of(request.query(), timeouts) : null;
        if (query == null) {
            context.next();
            return;
        }
        String instanceHeader = request.getHeader(TimeoutsResource.INSTANCE_HEADER);
        try {
            if (timeouts) {
                TimeoutService.Rendering answer = service.timeoutsRendering(environment, query.pressure(),
                        query.operation(), Instances.of(query.instance(), instanceHeader));
                send(context, answer.buffer(), TIMEOUTS_TEMPLATE, null);
            } else {
                TimeoutService.RenderedStartupConfig answer = service.renderedStartupConfig(environment,
                        query.pressure(), Instances.of(query.instance(), instanceHeader));
                send(context, answer.rendering().buffer(), STARTUP_CONFIG_TEMPLATE,
                        TimeoutsResource.weakTag(answer.policyVersion()));
            }
        } catch (ProblemException refused) {
            // A refusal (unknown environment, bad indicator…): the usual path answers it with its problem.
            context.next();
        }
    }

    /** Headers that leave the answer as Quarkus REST would give it, without CORS, a key or a watch. */
    private static boolean everyday(HttpServerRequest request, boolean timeouts) {
        var headers = request.headers();
        String accept = headers.get(HttpHeaders.ACCEPT);
        return (accept == null || accept.equals("*/*") || accept.equals("application/json"))
                && !headers.contains(HttpHeaders.ORIGIN) && !headers.contains(HttpHeaders.AUTHORIZATION)
                && !headers.contains("X-API-Key")
                && (timeouts || !headers.contains(HttpHeaders.IF_NONE_MATCH));
    }

    /** The environment segment of {@code /api/v1/environments/<environment><suffix>}, or null. */
    static String environment(String path, String suffix) {
        int end = path.length() - suffix.length();
        if (!path.startsWith(PREFIX) || end <= PREFIX.length() || !path.endsWith(suffix)) {
            return null;
        }
        String environment = path.substring(PREFIX.length(), end);
        return environment.indexOf('/') < 0 ? environment : null;
    }

    private void send(RoutingContext context, ByteBuf body, String template, String etag) {
        // Timed here, in the series the HTTP metrics give the route template (as Quarkus REST would tag it).
        DirectTimers.timedHere();
        var response = context.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        if (etag != null) {
            response.putHeader(HttpHeaders.ETAG, etag);
        }
        // The rendered parts as they are, not joined into a copy per request (RenderedAnswer.buffer).
        response.end(Buffer.buffer(body));
        timers.ok(context, template);
    }

    /** The query parameters these two read, when every one is plain; else null (the usual path reads it). */
    record Query(List<String> pressure, String operation, String instance) {

        private static final Query NONE = new Query(List.of(), null, null);

        static Query of(String raw, boolean timeouts) {
            if (raw == null || raw.isEmpty()) {
                return NONE;
            }
            List<String> pressure = null;
            String operation = null;
            String instance = null;
            for (String pair : raw.split("&", -1)) {
                int equals = pair.indexOf('=');
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                String name = equals < 0 ? pair : pair.substring(0, equals);
                if (!plain(value)) {
                    return null;
                }
                switch (name) {
                    case "pressure" -> {
                        pressure = pressure == null ? new ArrayList<>(2) : pressure;
                        pressure.add(value);
                    }
                    case "operation" -> {
                        if (!timeouts || operation != null) {
                            return null;
                        }
                        operation = value;
                    }
                    case "instance" -> {
                        if (instance != null) {
                            return null;
                        }
                        instance = value;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return new Query(pressure == null ? List.of() : pressure, operation, instance);
        }

        /** Letters, digits and {@code _ - . : ,}: nothing a decoder would change, nothing empty. */
        private static boolean plain(String value) {
            if (value.isEmpty()) {
                return false;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '_' || c == '-' || c == '.' || c == ':' || c == ',';
                if (!plain) {
                    return false;
                }
            }
            return true;
        }
    }
}
