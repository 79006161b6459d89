-- pgbench reference: the same 100-row insert the service's group commit makes, into a copy of the table
-- (same columns and indexes) so that the service does not read pgbench's rows as another replica's.
INSERT INTO attempts_pgbench (id, environment, operation, duration_seconds, success, timeout_seconds, violation,
                      failure_type, service, instance, occurred_at)
SELECT gen_random_uuid(), 'staging', 'connection', 1 + random(), true, 90, false, NULL, 'pgbench', NULL, now()
FROM generate_series(1, 100)
ON CONFLICT (id) DO NOTHING;
