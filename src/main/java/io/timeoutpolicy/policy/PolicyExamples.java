package io.timeoutpolicy.policy;

/** Examples shown in the OpenAPI document. */
final class PolicyExamples {

    static final String DOCUMENT = """
            {"environment": "staging", "version": 1, "cloud_sql": true,
             "base_timeouts": {"initialization_timeout": 95.0, "table_setup_timeout": 35.0,
               "connection_timeout": 75.0, "pool_timeout": 60.0, "health_check_timeout": 30.0},
             "retry": {"max_retries": 5, "base_delay": 2.0, "max_delay": 30.0, "exponential_base": 2.0, "jitter": true},
             "pool": {"pool_size": 10, "max_overflow": 15, "pool_timeout": 120.0, "pool_recycle": 1800, "pool_pre_ping": true},
             "vpc_connector": {"capacity_aware_timeouts": true, "scaling_buffer_timeout": 20.0, "capacity_buffer_ratio": 0.2},
             "pressure_multipliers": {"vpc_connector_scaling": {"connection_timeout": 1.5},
               "cloud_sql_capacity_pressure": {"initialization_timeout": 1.2}},
             "adaptive": {"strategy": "heuristic", "min_samples": 5, "min_samples_local": 10,
               "insufficient_data_factor": 1.2, "history_window": "PT24H",
               "percentile": {"target_false_timeout_rate": 0.001, "headroom": 0.2, "floor": 0.5, "ceiling": 3.0, "min_samples": 50}},
             "bypass": {"permissive_max_failures": 5, "conditional_max_failures": 3, "basic_max_failures": 2,
               "infrastructure_max_failures": 3,
               "infrastructure_failure_types": ["database_timeout", "vpc_connector", "cloud_sql_capacity"]},
             "circuit": {"failure_threshold": 5, "reset_timeout": 60.0},
             "alerts": {"cooldown": "PT5M"},
             "assessment": {"expected_avg": 5.0, "warning": 12.0, "critical": 20.0},
             "updated_at": "2026-11-22T10:15:30Z", "updated_by": "system"}""";

    static final String VERSION = """
            {"environment": "staging", "version": 1, "cloud_sql": true,
             "base_timeouts": {"initialization_timeout": 95.0, "table_setup_timeout": 35.0,
               "connection_timeout": 75.0, "pool_timeout": 60.0, "health_check_timeout": 30.0},
             "updated_at": "2026-11-22T10:15:30Z", "updated_by": "system",
             "status": "current"}""";

    static final String NEW_ENVIRONMENT = """
            {"cloud_sql": false,
             "base_timeouts": {"initialization_timeout": 25.0, "table_setup_timeout": 12.0,
               "connection_timeout": 15.0, "pool_timeout": 25.0, "health_check_timeout": 8.0}}""";

    private PolicyExamples() {
    }
}
