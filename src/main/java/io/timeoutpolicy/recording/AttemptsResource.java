package io.timeoutpolicy.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.alerts.AlertService;
import io.timeoutpolicy.history.Attempt;
import io.timeoutpolicy.history.HistoryConfig;
import io.timeoutpolicy.history.HistoryView;
import io.timeoutpolicy.history.StoredAttempt;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.http.ApiDocumentation;
import io.timeoutpolicy.platform.problem.FieldError;
import io.timeoutpolicy.platform.problem.JsonErrors;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.PolicyStore;
import io.timeoutpolicy.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/attempts")
@Tag(name = "History", description = "Connection attempts reported by the fleet (SPEC 2, 4.1-4.4)")
public class AttemptsResource {

    static final int MAX_BATCH = 1000;

    private final AttemptWriter writer;
    private final HistoryView view;
    private final PolicyStore policies;
    private final ServiceClock clock;
    private final HistoryConfig config;
    private final ObjectMapper mapper;
    private final AlertService alerts;
    private final Counter recorded;
    private final Counter rejected;

    AttemptsResource(AttemptWriter writer, HistoryView view, PolicyStore policies, ServiceClock clock,
            HistoryConfig config, ObjectMapper mapper, AlertService alerts, MeterRegistry registry) {
        this.alerts = alerts;
        this.recorded = Counter.builder("timeout_policy.attempts.recorded")
                .description("Attempts stored (duplicates not counted)").register(registry);
        this.rejected = Counter.builder("timeout_policy.attempts.rejected")
                .description("Attempts in requests refused as invalid").register(registry);
        this.writer = writer;
        this.view = view;
        this.policies = policies;
        this.clock = clock;
        this.config = config;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REPORTER)
    @SecurityRequirement(name = ApiDocumentation.BEARER)
    @SecurityRequirement(name = ApiDocumentation.API_KEY)
    @Operation(summary = "Record attempts", description = "One attempt or an array of up to 1000. The whole"
            + " request is checked before anything is written; an id already recorded is counted as a duplicate."
            + " Answered once the attempts are committed; every later read on this instance reflects them.")
    @RequestBody(content = @Content(schema = @Schema(oneOf = {AttemptRequest.class, AttemptRequest[].class})))
    @APIResponse(responseCode = "201", description = "Recorded.",
            content = @Content(schema = @Schema(implementation = AttemptsAnswer.class)))
    @APIResponse(responseCode = "202", description = "The database is unavailable: accepted into the write-behind"
            + " buffer, written when it is back.", content = @Content(schema = @Schema(implementation = AttemptsAnswer.class)))
    @APIResponse(responseCode = "503", description = "The database is unavailable and the buffer is full; retry"
            + " after Retry-After seconds.")
    @APIResponse(responseCode = "400", description = "Invalid attempts; errors names each field as [index].field.")
    @APIResponse(responseCode = "422", description = "An environment without a policy.")
    public Uni<Response> record(JsonNode body) {
        AttemptIntake.Accepted accepted = accept(body);
        return writer.write(accepted.attempts()).chain(result -> result.buffered()
                ? Uni.createFrom().item(buffered(accepted))
                : stored(accepted, result.stored()));
    }

    /** 201: the new rows are committed, in memory, and their alerts evaluated. */
    private Uni<Response> stored(AttemptIntake.Accepted accepted, List<StoredAttempt> stored) {
        view.record(stored);
        recorded.increment(stored.size());
        int duplicates = accepted.duplicates() + accepted.attempts().size() - stored.size();
        List<String> violations = violations(stored.stream().map(StoredAttempt::attempt).toList());
        return alerts.evaluate(stored).map(raised -> Response.status(Response.Status.CREATED)
                .entity(new AttemptsAnswer(stored.size(), duplicates, violations, raised))
                .build());
    }

    /**
     * 202: the database is unavailable; the attempts wait in the write-behind buffer. {@code recorded}
     * counts those accepted; repeats of ids stored before are dropped when they are written.
     */
    private Response buffered(AttemptIntake.Accepted accepted) {
        return Response.status(Response.Status.ACCEPTED)
                .entity(new AttemptsAnswer(accepted.attempts().size(), accepted.duplicates(),
                        violations(accepted.attempts()), List.of()))
                .build();
    }

    private static List<String> violations(List<Attempt> attempts) {
        return attempts.stream().filter(Attempt::violation).map(AttemptsAnswer::violationMessage).toList();
    }

    /** The whole body checked; a rejection is counted (every attempt in it) and answered by the caller. */
    private AttemptIntake.Accepted accept(JsonNode body) {
        List<AttemptRequest> requests = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        try {
            parse(body, requests, prefixes, errors);
            return AttemptIntake.check(requests, prefixes, clock.now(), config.retention(), policies::find, errors);
        } catch (ProblemException e) {
            rejected.increment(body != null && body.isArray() ? Math.max(1, body.size()) : 1);
            throw e;
        }
    }

    private void parse(JsonNode body, List<AttemptRequest> requests, List<String> prefixes, List<FieldError> errors) {
        if (body == null || body.isNull()) {
            throw ProblemException.badRequest("A JSON attempt or array of attempts is required");
        }
        if (!body.isArray()) {
            bind(body, "", requests, prefixes, errors);
            return;
        }
        if (body.isEmpty() || body.size() > MAX_BATCH) {
            throw ProblemException.invalidField("body", "must hold 1 to " + MAX_BATCH + " attempts");
        }
        for (int i = 0; i < body.size(); i++) {
            bind(body.get(i), "[" + i + "].", requests, prefixes, errors);
        }
    }

    private void bind(JsonNode node, String prefix, List<AttemptRequest> requests, List<String> prefixes,
            List<FieldError> errors) {
        try {
            requests.add(mapper.treeToValue(node, AttemptRequest.class));
            prefixes.add(prefix);
        } catch (JsonMappingException e) {
            errors.add(JsonErrors.fieldError(e, prefix));
        } catch (JsonProcessingException e) {
            errors.add(new FieldError(prefix.isEmpty() ? "body" : prefix, "is not a valid attempt"));
        }
    }
}
