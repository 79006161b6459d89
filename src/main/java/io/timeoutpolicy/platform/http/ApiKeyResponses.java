package io.timeoutpolicy.platform.http;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.timeoutpolicy.platform.problem.ProblemResponses;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * What SPEC 6 asks of a caller, in the document, for a client generator to follow. A write names its role as
 * the scope of its security requirements ({@code @SecurityRequirement(name = ..., scopes = Roles.X)}) and
 * answers 401 and 403. A read needs no key unless {@code timeout-policy.security.readers-require-key} is on,
 * which the document cannot know when it is built: so a read's security is "none, or either key" and it may
 * answer 401. Runs when the document is built.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ApiKeyResponses implements OASFilter {

    private static final String NO_KEY = "No API key, or an unknown one.";

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getSecurity() == null || operation.getSecurity().isEmpty()) {
            operation.setSecurity(List.of(OASFactory.createSecurityRequirement(), key(ApiDocumentation.BEARER),
                    key(ApiDocumentation.API_KEY)));
            add(operation, "401", NO_KEY + " Only while readers need a key (readers-require-key).");
        } else {
            add(operation, "401", NO_KEY);
            add(operation, "403", "The key lacks the " + role(operation) + " role.");
        }
        return operation;
    }

    private static SecurityRequirement key(String scheme) {
        return OASFactory.createSecurityRequirement().addScheme(scheme);
    }

    private static String role(Operation operation) {
        return operation.getSecurity().stream()
                .flatMap(requirement -> requirement.getSchemes().values().stream())
                .flatMap(List::stream)
                .findFirst()
                .orElse("needed");
    }

    private static void add(Operation operation, String code, String description) {
        APIResponses responses = operation.getResponses();
        if (responses.hasAPIResponse(code)) {
            return;
        }
        responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description)
                .content(ProblemResponses.content()));
    }
}
