-- Alerts raised by recorded attempts (SPEC 4.7). A repeat within the cooldown increments occurrences and
-- last_seen of the same row instead of adding one.
CREATE TABLE alerts (
    id          uuid             PRIMARY KEY,
    environment text             NOT NULL,
    operation   text             NOT NULL,
    level       text             NOT NULL CHECK (level IN ('warning', 'critical')),
    type        text             NOT NULL,
    message     text             NOT NULL,
    value       double precision NOT NULL,
    threshold   double precision NOT NULL,
    first_seen  timestamptz      NOT NULL,
    last_seen   timestamptz      NOT NULL,
    occurrences integer          NOT NULL CHECK (occurrences >= 1)
);

-- Finding the alert a repeat belongs to, and listing newest first.
CREATE INDEX alerts_by_key ON alerts (environment, operation, type, level, last_seen DESC);
CREATE INDEX alerts_newest ON alerts (last_seen DESC);
