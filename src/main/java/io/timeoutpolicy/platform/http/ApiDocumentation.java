package io.timeoutpolicy.platform.http;

import io.timeoutpolicy.platform.problem.Problem;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;

/**
 * The parts of the OpenAPI document that belong to no single resource: the two ways to send an API key,
 * the problem details every error response carries ({@link ProblemResponses}) and who may call what
 * ({@link ApiKeyResponses}).
 */
@OpenAPIDefinition(
        info = @Info(title = "Timeout Policy Service API", version = "1.0.0",
                description = "Database timeouts per environment, adapted to the connection history the fleet"
                        + " reports, with explained bypass decisions for deploy tooling.",
                // The project's LICENSE file.
                license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")),
        // Relative: the document is served by the service it describes, wherever that runs.
        servers = @Server(url = "/", description = "The service that serves this document."),
        components = @Components(schemas = @Schema(name = "Problem", implementation = Problem.class),
                securitySchemes = {
            @SecurityScheme(securitySchemeName = ApiDocumentation.BEARER, type = SecuritySchemeType.HTTP,
                    scheme = "bearer", description = "An API key as a bearer token."),
            @SecurityScheme(securitySchemeName = ApiDocumentation.API_KEY, type = SecuritySchemeType.APIKEY,
                    in = SecuritySchemeIn.HEADER, apiKeyName = "X-API-Key", description = "An API key in X-API-Key.")
        }))
public class ApiDocumentation extends Application {

    public static final String BEARER = "bearer";
    public static final String API_KEY = "apiKey";
}
