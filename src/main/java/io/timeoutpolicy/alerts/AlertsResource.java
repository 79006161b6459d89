package io.timeoutpolicy.alerts;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.http.QueryParams;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.PolicyStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;

@Path("/api/v1/alerts")
@Tag(name = "Circuit and alerts", description = "What the fleet sees when a database struggles (docs/design.md §4.6, 4.7)")
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
            + " closing the connection. A client that reconnects with Last-Event-ID first gets the stored alerts"
            + " it missed, oldest first, then the live ones.")
    @APIResponse(responseCode = "200", description = "The stream.",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING,
                    description = "event: alert, id: <alert id>/<occurrences>, data: the Alert as JSON;"
                            + " comment lines as heartbeats.")))
    // Proxies must pass each event on at once (nginx buffers unless told otherwise) and never cache the stream.
    @ResponseHeader(name = "Cache-Control", value = "no-cache")
    @ResponseHeader(name = "X-Accel-Buffering", value = "no")
    public Multi<OutboundSseEvent> stream(@Context Sse sse,
            @Parameter(description = "Only this environment's alerts.", example = "staging")
            @QueryParam("environment") String environment,
            @Parameter(description = "The id of the last event received (<alert id>/<occurrences>), sent by an"
                    + " EventSource when it reconnects: the stored alerts missed since are sent first.")
            @HeaderParam("Last-Event-ID") String lastEventId) {
        String only = environmentFilter(environment);
        // The hub completes at shutdown; the stream ends then, heartbeats and all.
        OutboundSseEvent end = sse.newEventBuilder().comment("closing").build();
        // Live and replayed alerts run side by side (nothing raised while the stored ones are read is lost);
        // each alert is sent only when it is newer than what this client already got of it.
        Map<UUID, Integer> sent = new ConcurrentHashMap<>();
        Multi<Alert> live = hub.alerts().filter(alert -> only == null || only.equals(alert.environment()));
        Multi<OutboundSseEvent> events = Multi.createBy().merging().streams(live, missed(only, lastEventId))
                .filter(alert -> newer(sent, alert))
                .map(alert -> sse.newEventBuilder().name("alert").id(AlertResumption.eventId(alert))
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(Alert.class, alert).build())
                .onCompletion().continueWith(end);
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().every(config.heartbeatInterval())
                .map(tick -> sse.newEventBuilder().comment("heartbeat").build());
        return Multi.createBy().merging().streams(events, heartbeats).select().first(event -> event != end);
    }

    /** The stored alerts a reconnecting client missed; none when it sends no id, or the database cannot say. */
    private Multi<Alert> missed(String environment, String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return Multi.createFrom().empty();
        }
        return alerts.list(environment, null, null, LIST_LIMIT)
                .map(stored -> AlertResumption.missed(stored, lastEventId))
                .onFailure().recoverWithItem(List.of())
                .onItem().transformToMulti(missed -> Multi.createFrom().iterable(missed));
    }

    /** Whether this client has not yet been sent this alert with as many occurrences (and records that it has). */
    private static boolean newer(Map<UUID, Integer> sent, Alert alert) {
        boolean[] newer = {false};
        sent.compute(alert.id(), (id, before) -> {
            newer[0] = before == null || before < alert.occurrences();
            return newer[0] ? alert.occurrences() : before;
        });
        return newer[0];
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
