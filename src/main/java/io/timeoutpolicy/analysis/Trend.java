package io.timeoutpolicy.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** GET …/trend: the window cut into buckets, and where it is heading. */
@Schema(description = "Buckets of a window and the overall direction.",
        example = "{\"environment\": \"staging\", \"operation\": \"connection\", \"window\": \"PT24H\", \"bucket\":"
                + " \"PT1H\", \"direction\": \"stable\", \"buckets\": [{\"start\": \"2026-11-22T09:00:00Z\","
                + " \"attempts\": 40, \"success_rate\": 100.0, \"average\": 4.1, \"p99\": 9.0,"
                + " \"timeout_violation_rate\": 0.0}]}")
public record Trend(String environment, String operation, String window, String bucket, String direction,
        List<Bucket> buckets) {

    public static final String IMPROVING = "improving";
    public static final String STABLE = "stable";
    public static final String DEGRADING = "degrading";

    /** One bucket; the rates and times are null when it holds no attempt. */
    @Schema(name = "TrendBucket", description = "Attempts in [start, start + bucket).",
            example = "{\"start\": \"2026-11-22T09:00:00Z\", \"attempts\": 40, \"success_rate\": 100.0,"
                    + " \"average\": 4.1, \"p99\": 9.0, \"timeout_violation_rate\": 0.0}")
    public record Bucket(Instant start, long attempts,
            @Schema(nullable = true) @JsonInclude(JsonInclude.Include.ALWAYS) Double successRate,
            @Schema(nullable = true) @JsonInclude(JsonInclude.Include.ALWAYS) Double average,
            @Schema(nullable = true) @JsonInclude(JsonInclude.Include.ALWAYS) Double p99,
            @Schema(nullable = true) @JsonInclude(JsonInclude.Include.ALWAYS) Double timeoutViolationRate) {
    }
}
