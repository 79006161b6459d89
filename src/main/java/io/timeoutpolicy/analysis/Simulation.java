package io.timeoutpolicy.analysis;

import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What-if simulation of candidate timeouts against recorded history (SPEC 5). */
public final class Simulation {

    private Simulation() {
    }

    @Schema(name = "SimulationRequest", description = "Candidate timeouts by key; window defaults to the policy's.",
            example = "{\"timeouts\": {\"connection_timeout\": 30.0}, \"window\": \"PT24H\"}")
    public record Request(Map<String, Double> timeouts, String window) {
    }

    @Schema(name = "SimulationResult", description = "One candidate against the operation's recorded attempts.",
            example = "{\"attempts\": 120, \"would_time_out\": 3, \"false_timeout_rate\": 0.0169,"
                    + " \"total_wait_seconds\": 480.5, \"current_total_wait_seconds\": 501.0}")
    public record Result(
            @Schema(description = "Recorded attempts of the key's operation in the window.") long attempts,
            @Schema(description = "Attempts longer than the candidate.") long wouldTimeOut,
            @Schema(description = "Share (0-1) of successful attempts the candidate would have cut off.")
            double falseTimeoutRate,
            @Schema(description = "Σ min(duration, candidate): the time clients would have waited.")
            double totalWaitSeconds,
            @Schema(description = "Σ min(duration, timeout in force): the time they did wait.")
            double currentTotalWaitSeconds) {
    }

    @Schema(name = "SimulationAnswer", description = "Results by timeout key.",
            example = "{\"environment\": \"staging\", \"window\": \"PT24H\", \"results\": {\"connection_timeout\":"
                    + " {\"attempts\": 120, \"would_time_out\": 3, \"false_timeout_rate\": 0.0169,"
                    + " \"total_wait_seconds\": 480.5, \"current_total_wait_seconds\": 501.0}}}")
    public record Answer(String environment, String window, Map<String, Result> results) {
    }
}
