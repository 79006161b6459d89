-- Policies are versioned: a change inserts the next version and old versions stay (SPEC 2).
-- The groups of the policy document live in one jsonb column; what identifies a version and who
-- wrote it are columns of their own.
CREATE TABLE policy_versions (
    environment text        NOT NULL CHECK (environment ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    version     integer     NOT NULL CHECK (version >= 1),
    document    jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text        NOT NULL,
    PRIMARY KEY (environment, version)
);

COMMENT ON TABLE policy_versions IS 'Every version of every environment''s policy; never updated in place';

-- The current policy of each environment is its newest version.
CREATE VIEW current_policies AS
SELECT DISTINCT ON (environment) environment, version, document, updated_at, updated_by
FROM policy_versions
ORDER BY environment, version DESC;
