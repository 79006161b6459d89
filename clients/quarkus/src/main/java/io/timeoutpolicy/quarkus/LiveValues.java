package io.timeoutpolicy.quarkus;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.logging.Logger;

/**
 * At start-up, the datasources begin to follow the served version (SPEC 9.3): the JDBC one through
 * {@link LiveAgroal} when the application has Agroal; the reactive one is said to keep its values, because Vert.x
 * copies the pool wait and the connect timeout into the pool and its connection factory when it makes them.
 */
@Singleton
public class LiveValues {

    private static final Logger LOG = Logger.getLogger("io.timeoutpolicy.client");

    void start(@Observes StartupEvent started) {
        QuarkusIntegration quarkus = QuarkusIntegration.current();
        if (quarkus == null) {
            return;
        }
        if (present("io.agroal.api.AgroalDataSource")) {
            try {
                LiveAgroal.start(quarkus);
            } catch (RuntimeException e) { // e.g. an inactive datasource: the application starts all the same
                LOG.warning(() -> "timeout-policy: the Agroal datasource does not follow the served version (" + e
                        + "): new versions are applied at the next start");
            }
        }
        if (quarkus.reactiveMade()) {
            LOG.info("timeout-policy: the reactive pool of the default datasource keeps the values it was made with:"
                    + " Vert.x copies PoolOptions.connectionTimeout and PgConnectOptions.connectTimeout into the pool and"
                    + " its connection factory, and a running pool has no setter for them; a newly served version is"
                    + " applied at the next start");
            quarkus.integration().onChange(config -> LOG.info("timeout-policy: reactive pool of the default"
                    + " datasource: policy_version " + config.policyVersion() + " of " + config.environment()
                    + " is applied at the next start (a Vert.x pool cannot change its timeouts while it runs)"));
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, LiveValues.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }
}
