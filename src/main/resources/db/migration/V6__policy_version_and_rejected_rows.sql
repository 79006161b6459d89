-- The policy version the reporting client had applied (SPEC 10.2): the canary cohort is the candidate's
-- version, the control the current one. Null when the client did not say.
ALTER TABLE attempts ADD COLUMN policy_version integer CHECK (policy_version >= 1);

-- Rows PostgreSQL refused for their content (SQLSTATE classes 22 and 23, SPEC 7): set aside with the error
-- instead of blocking the write-behind behind them, so that an operator can see, mend and re-insert them.
CREATE TABLE rejected_rows (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text        NOT NULL,
    sql_state   text,
    error       text        NOT NULL,
    -- The row as the service meant to write it, as JSON text with every control character escaped.
    payload     text        NOT NULL,
    rejected_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE rejected_rows IS 'Rows the database refused for their content; never retried by the service';
