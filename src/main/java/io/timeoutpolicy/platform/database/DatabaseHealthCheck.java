package io.timeoutpolicy.platform.database;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The service's own database: UP when the schema is migrated and the database answers now; DOWN says why.
 * Never blocks. Not a readiness check (SPEC 7): every replica shares the database, and taking them all out
 * of the load balancer at once would turn its outage into the service's. It is the health group
 * {@code database} ({@code /q/health/group/database}) and, as a wellness check, part of {@code /q/health}.
 */
@Wellness
@HealthGroup(DatabaseHealthCheck.NAME)
@ApplicationScoped
public class DatabaseHealthCheck implements AsyncHealthCheck {

    public static final String NAME = "database";

    private final DatabaseProbe probe;
    private final DatabaseStatus status;

    DatabaseHealthCheck(DatabaseProbe probe, DatabaseStatus status) {
        this.probe = probe;
        this.status = status;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (!status.isSchemaReady()) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).down()
                    .withData("reason", publicReason(status.unavailableReason())).build());
        }
        return probe.ping()
                .invoke(status::markAvailable)
                .map(ignored -> HealthCheckResponse.named(NAME).up().build())
                .onFailure().recoverWithItem(failure -> {
                    status.markUnavailable(failure);
                    return HealthCheckResponse.named(NAME).down()
                            .withData("reason", publicReason(status.unavailableReason())).build();
                });
    }

    /**
     * What an anonymous caller may learn about an outage: its kind (the failure's class), never its message,
     * which names the database's internal host and port, user or database. The log keeps the whole reason.
     */
    public static String publicReason(String reason) {
        if (reason == null) {
            return "unknown";
        }
        String prefix = "schema not migrated yet: ";
        boolean schema = reason.startsWith(prefix);
        String cause = schema ? reason.substring(prefix.length()) : reason;
        int colon = cause.indexOf(':');
        String kind = (colon < 0 ? cause : cause.substring(0, colon)).trim();
        if (!kind.matches("[A-Za-z_$ ]{1,80}")) {
            kind = "unavailable";
        }
        return (schema ? prefix : "") + kind + "; details are in the service log";
    }
}
