package io.timeoutpolicy.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.timeoutpolicy.platform.database.DatabaseNotifications;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;

/**
 * The alert stream of the whole fleet: every alert raised or repeated on this replica is announced through
 * PostgreSQL ({@code NOTIFY timeout_policy_alerts}), and what other replicas announce is streamed here, so a
 * dashboard behind a load balancer sees every alert whichever replica it is connected to. Each alert reaches
 * a subscriber once: this replica's own announcements come back and are skipped. While the database is down
 * only this replica's alerts are streamed (they are published locally first).
 */
@ApplicationScoped
public class FleetAlerts {

    static final String CHANNEL = "timeout_policy_alerts";
    /** This process, as the origin of what it announces. */
    static final String ORIGIN = UUID.randomUUID().toString();

    /** What travels between replicas. */
    record Notice(String origin, Alert alert) {
    }

    private final DatabaseNotifications notifications;
    private final DatabaseStatus database;
    private final AlertHub hub;
    private final ObjectMapper mapper;

    FleetAlerts(DatabaseNotifications notifications, DatabaseStatus database, AlertHub hub, ObjectMapper mapper) {
        this.notifications = notifications;
        this.database = database;
        this.hub = hub;
        this.mapper = mapper;
    }

    void onStart(@Observes StartupEvent event) {
        notifications.listen(CHANNEL, this::received);
    }

    /** Streams an alert raised here, and tells the other replicas when the database can carry it. */
    void publish(Alert alert) {
        hub.publish(alert);
        if (!database.isHealthy()) {
            return;
        }
        try {
            notifications.announce(CHANNEL, mapper.writeValueAsString(new Notice(ORIGIN, alert))).subscribe().with(
                    ignored -> { }, failure -> Log.debugf("Alert %s not announced: %s", alert.id(), failure));
        } catch (JsonProcessingException e) {
            Log.warnf("Alert %s not announced: %s", alert.id(), e.getMessage());
        }
    }

    private void received(String payload) {
        try {
            Notice notice = mapper.readValue(payload, Notice.class);
            if (!ORIGIN.equals(notice.origin()) && notice.alert() != null) {
                hub.publish(notice.alert());
            }
        } catch (JsonProcessingException e) {
            Log.warnf("Ignoring a notification on %s that is no alert: %s", CHANNEL, e.getOriginalMessage());
        }
    }
}
