package io.timeoutpolicy.platform.problem;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;

/**
 * Every error the API answers is an RFC 9457 problem (one place makes them: {@link ProblemMapper}), so the
 * document says so once, here, rather than on each error response of each resource: a 4xx or 5xx response
 * declared without content gets {@code application/problem+json} with the Problem schema. Runs when the
 * document is built, not at start-up.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getResponses() == null) {
            return operation;
        }
        operation.getResponses().getAPIResponses().forEach((code, response) -> {
            if (isError(code) && response.getContent() == null) {
                response.setContent(content());
            }
        });
        return operation;
    }

    /** {@code application/problem+json} with the Problem schema: the content of every error response. */
    public static Content content() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem")));
    }

    private static boolean isError(String code) {
        return code.startsWith("4") || code.startsWith("5");
    }
}
