-- Every bypass decision, with the full input, the analysis it used and the policy version (SPEC 4.5):
-- an audit log that deploy tooling queries. Rows are never updated.
CREATE TABLE bypass_decisions (
    id                uuid        PRIMARY KEY,
    environment       text        NOT NULL,
    bypass            boolean     NOT NULL,
    rule              text        NOT NULL,
    reason            text        NOT NULL,
    degraded          boolean     NOT NULL,
    critical_failures integer     NOT NULL CHECK (critical_failures >= 0),
    manual_override   boolean     NOT NULL,
    failure_types     text[]      NOT NULL,
    service           text,
    deployment        text,
    requested_by      text,
    requested_by_key  text        NOT NULL,
    analysis          jsonb,
    policy_version    integer     NOT NULL,
    decided_at        timestamptz NOT NULL
);

-- The audit list pages newest first by (decided_at, id), optionally within one environment, service or
-- deployment.
CREATE INDEX bypass_decisions_newest ON bypass_decisions (decided_at DESC, id DESC);
CREATE INDEX bypass_decisions_by_environment ON bypass_decisions (environment, decided_at DESC, id DESC);
CREATE INDEX bypass_decisions_by_service ON bypass_decisions (service, decided_at DESC, id DESC);
CREATE INDEX bypass_decisions_by_deployment ON bypass_decisions (deployment, decided_at DESC, id DESC);
