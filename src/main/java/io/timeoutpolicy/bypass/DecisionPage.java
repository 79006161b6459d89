package io.timeoutpolicy.bypass;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of the audit log, newest first; {@code next_cursor} fetches the next one (null at the end). */
@Schema(description = "Decisions, newest first.", example = "{\"items\": [], \"next_cursor\": null}")
public record DecisionPage(List<BypassDecision> items,
        @Schema(nullable = true, description = "The cursor of the next page; null on the last.") String nextCursor) {
}
