package io.timeoutpolicy.timeouts;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How one timeout was computed (SPEC 4.2): every factor, and a sentence a person can read. */
@Schema(description = "How one timeout was computed.",
        example = "{\"branch\": \"insufficient_data\", \"base\": 75.0, \"multiplier\": 1.2, \"scaling_buffer\": 0.0,"
                + " \"capacity_buffer\": 0.0, \"pressure_factor\": 1.5, \"samples\": 0, \"text\": \"connection_timeout:"
                + " base 75.0s × 1.2 (insufficient data: 0 of 5 samples) = 90.0s; × 1.5 for pressure"
                + " (vpc_connector_scaling) = 135.0s\"}")
public record Explanation(
        @Schema(description = "static, insufficient_data, heuristic or percentile.", example = "heuristic") Branch branch,
        @Schema(description = "The base timeout of the policy, seconds.", example = "75.0") double base,
        @Schema(description = "The factor applied to the base.", example = "1.2") double multiplier,
        @Schema(description = "VPC scaling buffer added, seconds.", example = "0.0") double scalingBuffer,
        @Schema(description = "Capacity buffer added, seconds.", example = "0.0") double capacityBuffer,
        @Schema(description = "Product of the pressure multipliers applied.", example = "1.5") double pressureFactor,
        @Schema(description = "Attempts the calculation used.", example = "0") long samples,
        @Schema(description = "The calculation in words.") String text) {
}
