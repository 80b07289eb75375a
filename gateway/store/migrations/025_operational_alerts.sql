-- Alerts about the machinery, not a case's clock: a dead letter, a delivery retrying too
-- long, a certificate or consent about to expire, a peer gateway unreachable. Each has a
-- source key (what raised it), so watching the same condition again raises nothing new,
-- whichever process watches.
ALTER TABLE alerts ALTER COLUMN clock_id DROP NOT NULL;
ALTER TABLE alerts ALTER COLUMN correlation_id DROP NOT NULL;
ALTER TABLE alerts ADD COLUMN source_key text;
ALTER TABLE alerts ADD COLUMN details jsonb NOT NULL DEFAULT '{}';  -- ids only: deliveryId, serial, consentId, peer
ALTER TABLE alerts ADD CONSTRAINT alerts_raised_by CHECK ((clock_id IS NULL) <> (source_key IS NULL));
CREATE UNIQUE INDEX alerts_source ON alerts (source_key, participant) WHERE source_key IS NOT NULL;
