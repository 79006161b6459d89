-- Connection attempts reported by the fleet (SPEC 2). The timeout in force and whether it was violated
-- are decided once, when the attempt is recorded, and stored with it.
CREATE TABLE attempts (
    id               uuid             PRIMARY KEY,
    -- Order of receipt: breaks ties between equal occurred_at (within one request: array order).
    seq              bigint           GENERATED ALWAYS AS IDENTITY,
    environment      text             NOT NULL,
    operation        text             NOT NULL CHECK (operation IN
                         ('initialization', 'table_setup', 'connection', 'pool', 'health_check')),
    duration_seconds double precision NOT NULL CHECK (duration_seconds >= 0),
    success          boolean          NOT NULL,
    timeout_seconds  double precision NOT NULL CHECK (timeout_seconds > 0),
    violation        boolean          NOT NULL,
    failure_type     text,
    service          text,
    instance         text,
    occurred_at      timestamptz      NOT NULL,
    -- When the row was written (transaction time): other replicas pick up rows by it.
    received_at      timestamptz      NOT NULL DEFAULT now()
);

-- Every calculation reads one environment's attempts of one operation in a time window.
CREATE INDEX attempts_by_series ON attempts (environment, operation, occurred_at, seq);
-- Refreshes of the in-memory view read what was written since the last one.
CREATE INDEX attempts_by_received_at ON attempts (received_at);
-- Pruning deletes by age; BRIN stays tiny on append-mostly time data.
CREATE INDEX attempts_by_occurred_at ON attempts USING brin (occurred_at);
