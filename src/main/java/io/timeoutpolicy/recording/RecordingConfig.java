package io.timeoutpolicy.recording;

import io.smallrye.config.ConfigMapping;
import io.timeoutpolicy.platform.database.WriteBehind;

/** Recording attempts: group commit, and the write-behind buffer while the database is unavailable. */
@ConfigMapping(prefix = "timeout-policy.recording")
public interface RecordingConfig {

    GroupCommitSettings groupCommit();

    /** Attempts held while the database is unavailable (answered 202; a full buffer is a 503). */
    WriteBehind.Settings writeBehind();

    interface GroupCommitSettings {
        /** Group-commit statements in flight at once, so PostgreSQL's own parallelism is used too. */
        int writerConcurrency();

        /** Most attempts in one group-commit statement. */
        int maxBatchRows();
    }
}
