package io.timeoutpolicy.platform.http;

import io.timeoutpolicy.platform.problem.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A write to an endpoint that takes a body must say what the body is (SPEC 5): without {@code Content-Type} it is
 * a 415, as a body of another type is. JAX-RS would otherwise take the missing type for any type and read it.
 * Runs after matching (so only endpoints that declare {@code @Consumes}) and before the body is read.
 */
public class MediaTypeCheck {

    @ServerRequestFilter
    public void requireContentType(ContainerRequestContext request, ResourceInfo resource) {
        String method = request.getMethod();
        boolean write = "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method);
        if (!write || request.getHeaderString(HttpHeaders.CONTENT_TYPE) != null || !takesBody(resource)) {
            return;
        }
        throw ProblemException.unsupportedMediaType("Send the body with 'Content-Type: application/json'");
    }

    private static boolean takesBody(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        return method != null && (method.isAnnotationPresent(Consumes.class)
                || method.getDeclaringClass().isAnnotationPresent(Consumes.class));
    }
}
