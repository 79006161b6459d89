-- Safe policy changes (SPEC 10.2). Every version has a status; the current policy of an environment is its
-- version with status 'current' (no longer simply its newest: a candidate is newer and not served to all).
-- Status changes are conditional updates (… WHERE status = 'candidate'), so a promotion and a rollback of
-- the same candidate, from two replicas, are decided once by PostgreSQL.
ALTER TABLE policy_versions
    ADD COLUMN status            text NOT NULL DEFAULT 'current'
        CHECK (status IN ('current', 'superseded', 'candidate', 'aborted', 'rolled_back')),
    -- A candidate's rollout: {"mode", "percent", "guard": {...}} (SPEC 10.2); null for ordinary versions.
    ADD COLUMN rollout           jsonb,
    -- Why the status last changed (a rollback's reason and both cohorts' figures), when and by whom.
    ADD COLUMN status_reason     jsonb,
    ADD COLUMN status_changed_at timestamptz,
    ADD COLUMN status_changed_by text;

UPDATE policy_versions p SET status = 'superseded'
WHERE version < (SELECT max(version) FROM policy_versions q WHERE q.environment = p.environment);

CREATE UNIQUE INDEX policy_versions_one_current ON policy_versions (environment) WHERE status = 'current';
CREATE UNIQUE INDEX policy_versions_one_candidate ON policy_versions (environment) WHERE status = 'candidate';

CREATE OR REPLACE VIEW current_policies AS
SELECT DISTINCT ON (environment) environment, version, document, updated_at, updated_by
FROM policy_versions
WHERE status = 'current'
ORDER BY environment, version DESC;

-- The score of a candidate (SPEC 10.2), summed over every replica: each adds what it scored since its last
-- flush (INSERT … ON CONFLICT DO UPDATE adds atomically). Keys are the five timeout keys; cohorts are
-- 'canary' (attempts reporting the candidate's version) and 'control' (the current version's).
CREATE TABLE candidate_key_scores (
    environment           text             NOT NULL,
    version               integer          NOT NULL,
    key                   text             NOT NULL,
    attempts              bigint           NOT NULL,
    violations_current    bigint           NOT NULL,
    violations_candidate  bigint           NOT NULL,
    timeout_current_sum   double precision NOT NULL,
    timeout_candidate_sum double precision NOT NULL,
    PRIMARY KEY (environment, version, key),
    FOREIGN KEY (environment, version) REFERENCES policy_versions (environment, version)
);

CREATE TABLE candidate_cohorts (
    environment text    NOT NULL,
    version     integer NOT NULL,
    cohort      text    NOT NULL CHECK (cohort IN ('canary', 'control')),
    attempts    bigint  NOT NULL,
    violations  bigint  NOT NULL,
    failures    bigint  NOT NULL,
    PRIMARY KEY (environment, version, cohort),
    FOREIGN KEY (environment, version) REFERENCES policy_versions (environment, version)
);

-- Who runs what (SPEC 10.3): every instance that asked for timeouts or reported attempts, the version this
-- service last served it and the version it last reported. At most 10 000 per environment (the least recently
-- seen are forgotten). Replicas add what they saw; a newer fact never loses to an older one (served_at,
-- reported_at).
CREATE TABLE instances (
    environment      text        NOT NULL,
    instance         text        NOT NULL,
    service          text,
    last_seen        timestamptz NOT NULL,
    served_version   integer,
    served_at        timestamptz,
    reported_version integer,
    reported_at      timestamptz,
    PRIMARY KEY (environment, instance)
);

CREATE INDEX instances_newest ON instances (environment, last_seen DESC);
