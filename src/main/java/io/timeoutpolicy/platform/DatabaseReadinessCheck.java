package io.timeoutpolicy.platform;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the schema is migrated and the database answers now; DOWN says why. Never blocks. */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements AsyncHealthCheck {

    private static final String NAME = "database";

    private final DatabaseProbe probe;
    private final DatabaseStatus status;

    DatabaseReadinessCheck(DatabaseProbe probe, DatabaseStatus status) {
        this.probe = probe;
        this.status = status;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (!status.isSchemaReady()) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).down()
                    .withData("reason", status.unavailableReason()).build());
        }
        return probe.ping()
                .invoke(status::markAvailable)
                .map(ignored -> HealthCheckResponse.named(NAME).up().build())
                .onFailure().recoverWithItem(failure -> {
                    status.markUnavailable(failure);
                    return HealthCheckResponse.named(NAME).down().withData("reason", status.unavailableReason()).build();
                });
    }
}
