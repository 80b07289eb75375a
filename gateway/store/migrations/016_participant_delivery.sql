-- How each participant receives, in the registry too: pull from the inbox (no value), or
-- pushed by an adapter to its endpoint with the adapter's settings and the participant's own
-- retry and expiry policy. Changed by operators at run time. (The adapter's intake
-- certificate stays in each process's configuration: it names files.)
--
-- The configuration seeds the registry, and what it said last is kept: at start, a
-- participant's definition or delivery settings are replaced only when the configuration's
-- own changed since, so editing the file takes effect on restart while an operator's run-time
-- change stands until the file says something new about that participant.
ALTER TABLE participants ADD COLUMN delivery jsonb;
ALTER TABLE participants ADD COLUMN seeded_definition jsonb;
ALTER TABLE participants ADD COLUMN seeded_delivery jsonb;
UPDATE participants SET seeded_definition = definition WHERE origin = 'configuration';
