package io.timeoutpolicy.platform.http;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.timeoutpolicy.platform.problem.ProblemResponses;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Every error answer an operation can give, in the document, from one place: those the HTTP layer gives to any
 * request (a URL too long, an Accept it cannot serve, a body too large or not JSON, a shutting-down replica), those
 * of an {environment} in the path (malformed, unknown), and the 503s an operation gives while its history loads or
 * its database is away. A resource declares only what its own logic decides (its 400 fields, 412, 422, ...). A
 * generated client then handles the outage answers it would otherwise treat as surprises. Runs when the document
 * is built.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ErrorResponses implements OASFilter {

    private static final String SHUTTING_DOWN = "this replica is shutting down (`shutting-down`, `Retry-After: 1`;"
            + " another replica answers)";
    private static final String HISTORY = "The replica is still reading its history after a start"
            + " (`history-incomplete`, `Retry-After`), rather than answering from part of it; or ";
    private static final String DATABASE_READ = "The database is unavailable (its circuit breaker open, or one try and"
            + " one retry failed within about 3 s) and there is no answer from memory; or ";
    private static final String HELD_FULL = "The database is unavailable and the write-behind buffer that holds %s"
            + " meanwhile is full: nothing was kept, send it again after `Retry-After`; or ";

    /** The 503s beyond a shutdown, by operationId: what each operation cannot answer while something is away. */
    static final Map<String, String> UNAVAILABLE = Map.ofEntries(
            Map.entry("getMetrics", HISTORY),
            Map.entry("getAnalysis", HISTORY),
            Map.entry("getAssessment", HISTORY),
            Map.entry("getTrend", HISTORY),
            Map.entry("simulateTimeouts", HISTORY),
            Map.entry("listPolicyVersions", DATABASE_READ),
            Map.entry("listBypassDecisions", DATABASE_READ),
            Map.entry("getBypassDecision", DATABASE_READ.replace("there is no answer from memory",
                    "the decision is not one still waiting in memory")),
            Map.entry("listAlerts", DATABASE_READ),
            Map.entry("putPolicy", "The database is unavailable: nothing was written, send it again after"
                    + " `Retry-After`; or "),
            Map.entry("recordAttempts", String.format(HELD_FULL, "attempts")),
            Map.entry("decideBypass", String.format(HELD_FULL, "decisions until they are stored")));

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getResponses() == null) {
            return operation;
        }
        add(operation, "406", "The Accept header names no media type this operation answers.");
        add(operation, "414", "The URL is longer than `timeout-policy.http.max-url-length` (4 096 characters).");
        if (operation.getRequestBody() != null) {
            add(operation, "400", "The body is not valid JSON of the documented shape.");
            add(operation, "413", "The body is larger than `quarkus.http.limits.max-body-size` (1 MiB).");
            add(operation, "415", "The body is not sent as `application/json`.");
        }
        if (hasEnvironmentInPath(operation)) {
            add(operation, "400", "The environment's name is malformed (`[a-z0-9][a-z0-9_-]{0,63}`).");
            add(operation, "404", "No policy for this environment; the detail lists the known ones.");
        }
        String unavailable = UNAVAILABLE.getOrDefault(operation.getOperationId(), "");
        APIResponse response = OASFactory.createAPIResponse()
                .description(unavailable.isEmpty() ? capitalised(SHUTTING_DOWN) + "." : unavailable + SHUTTING_DOWN + ".")
                .content(ProblemResponses.content())
                .addHeader("Retry-After", OASFactory.createHeader()
                        .description("Seconds to wait before trying again.")
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)));
        operation.getResponses().addAPIResponse("503", response);
        return operation;
    }

    private static boolean hasEnvironmentInPath(Operation operation) {
        return operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> "environment".equals(p.getName()) && p.getIn() == Parameter.In.PATH);
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static void add(Operation operation, String code, String description) {
        if (!operation.getResponses().hasAPIResponse(code)) {
            operation.getResponses().addAPIResponse(code, OASFactory.createAPIResponse().description(description)
                    .content(ProblemResponses.content()));
        }
    }
}
