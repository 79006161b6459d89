package io.timeoutpolicy.bypass;

import io.smallrye.config.ConfigMapping;
import io.timeoutpolicy.platform.database.WriteBehind;

/** Bypass decisions. */
@ConfigMapping(prefix = "timeout-policy.bypass")
public interface BypassConfig {

    /**
     * Decisions taken while the database is unavailable (SPEC 4.5): answered at once, held in order and stored
     * when it is back; readable by id meanwhile.
     */
    WriteBehind.Settings writeBehind();
}
