package io.timeoutpolicy.alerts;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.http.QueryParams;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.PolicyStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/alerts")
@Tag(name = "Circuit and alerts", description = "What the fleet sees when a database struggles (SPEC 4.6, 4.7)")
public class AlertsResource {

    static final int LIST_LIMIT = 500;

    private final AlertService alerts;
    private final AlertHub hub;
    private final AlertsConfig config;

    AlertsResource(AlertService alerts, AlertHub hub, AlertsConfig config) {
        this.alerts = alerts;
        this.hub = hub;
        this.config = config;
    }

    @Schema(description = "Alerts, newest first (at most 500).", example = "{\"items\": []}")
    public record AlertList(List<Alert> items) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listAlerts",
            summary = "Alerts", description = "Alerts last seen since a time, newest first.")
    @APIResponse(responseCode = "200", description = "The alerts.")
    @APIResponse(responseCode = "400", description = "Bad level or since.")
    public Uni<AlertList> list(
            @Parameter(description = "Environment.", example = "staging") @QueryParam("environment") String environment,
            @Parameter(description = "warning or critical.", example = "critical") @QueryParam("level") String level,
            @Parameter(description = "Last seen at or after (ISO-8601).", example = "2026-11-22T00:00:00Z")
            @QueryParam("since") String since) {
        return alerts.list(environmentFilter(environment), level(level), QueryParams.instant(since, "since"),
                LIST_LIMIT).map(AlertList::new);
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(operationId = "streamAlerts",
            summary = "Alert stream", description = "Server-Sent Events: one event named alert per new alert"
            + " or repeat, data the alert's JSON; a comment line every heartbeat interval keeps proxies from"
            + " closing the connection.")
    @APIResponse(responseCode = "200", description = "The stream.",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING,
                    description = "event: alert, id: <alert id>/<occurrences>, data: the Alert as JSON;"
                            + " comment lines as heartbeats.")))
    public Multi<OutboundSseEvent> stream(@Context Sse sse,
            @Parameter(description = "Only this environment's alerts.", example = "staging")
            @QueryParam("environment") String environment) {
        String only = environmentFilter(environment);
        // The hub completes at shutdown; the stream ends then, heartbeats and all.
        OutboundSseEvent end = sse.newEventBuilder().comment("closing").build();
        Multi<OutboundSseEvent> events = hub.alerts()
                .filter(alert -> only == null || only.equals(alert.environment()))
                .map(alert -> sse.newEventBuilder().name("alert").id(alert.id() + "/" + alert.occurrences())
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(Alert.class, alert).build())
                .onCompletion().continueWith(end);
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().every(config.heartbeatInterval())
                .map(tick -> sse.newEventBuilder().comment("heartbeat").build());
        return Multi.createBy().merging().streams(events, heartbeats).select().first(event -> event != end);
    }

    private static String environmentFilter(String environment) {
        return environment == null || environment.isBlank() ? null : PolicyStore.normalize(environment);
    }

    private static String level(String level) {
        if (level == null || level.isBlank()) {
            return null;
        }
        String lower = level.trim().toLowerCase(Locale.ROOT);
        if (!lower.equals(AlertRules.WARNING) && !lower.equals(AlertRules.CRITICAL)) {
            throw ProblemException.invalidField("level", "must be warning or critical");
        }
        return lower;
    }
}
