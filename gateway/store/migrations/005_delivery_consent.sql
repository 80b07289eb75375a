-- The consent a delivery relies on, when its legal basis is a consent: checked again when
-- the delivery is made, and used to withhold queued deliveries when the consent is withdrawn.
ALTER TABLE deliveries ADD COLUMN consent_id uuid;
CREATE INDEX deliveries_consent ON deliveries (consent_id) WHERE consent_id IS NOT NULL;
