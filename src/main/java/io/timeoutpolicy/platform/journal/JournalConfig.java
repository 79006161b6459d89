package io.timeoutpolicy.platform.journal;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;

/** The local journal of what is acknowledged while held for the database (SPEC 7). */
@ConfigMapping(prefix = "timeout-policy.journal")
public interface JournalConfig {

    /**
     * The directory of this replica's journal files; it must be writable and used by this process alone (a lock
     * file says so). On Kubernetes a volume, so that a container restart keeps it. Defaults to {@code journal}
     * (relative to the working directory); env {@code TIMEOUT_POLICY_JOURNAL_DIR}.
     */
    Path dir();
}
