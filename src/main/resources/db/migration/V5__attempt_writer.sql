-- Which replica wrote an attempt: a refresh reads only what other replicas wrote, so a replica under a
-- heavy write load does not read its own writes back.
ALTER TABLE attempts ADD COLUMN writer text;
