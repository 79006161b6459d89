package io.timeoutpolicy.rollout;

/** Examples shown in the OpenAPI document. */
final class RolloutExamples {

    private RolloutExamples() {
    }

    static final String RECOMMENDATIONS = """
            {"environment": "development", "policy_version": 1, "window": "PT24H",
             "recommendations": {"connection_timeout": {"current_base": 20.0, "recommended_base": 5.0,
               "action": "lower", "samples": 1200, "required_samples": 50, "quantile": 3.1, "step_limited": false,
               "backtest": {"current": {"effective_timeout": 20.0, "would_time_out": 0, "false_timeout_rate": 0.0,
                 "total_wait_seconds": 1510.2},
                 "candidate": {"effective_timeout": 5.0, "would_time_out": 0, "false_timeout_rate": 0.0,
                 "total_wait_seconds": 1510.2}}}},
             "worst_case_startup_seconds": {"current": 105.0, "candidate": 90.0},
             "candidate": {"cloud_sql": false, "base_timeouts": {"initialization_timeout": 30.0,
               "table_setup_timeout": 15.0, "connection_timeout": 5.0, "pool_timeout": 30.0,
               "health_check_timeout": 10.0}},
             "if_match": "\\"1\\"",
             "text": ["connection_timeout: lower the base from 20.0s to 5.0s, because the 99.9th percentile of \
            1200 successful connection attempts is 3.1s (with 20% headroom, rounded up to 0.5 s and never below \
            the longest success: 4.0s); over the window it would have cut off 0 successful attempts instead of \
            0 (effective timeout 5.0s instead of 20.0s)."]}""";
}
