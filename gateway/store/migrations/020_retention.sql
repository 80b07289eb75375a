-- Retention (issue: evidence that lasts). Payloads are purged some days after an exchange's
-- last delivery reached its end; ids, digests, seals, receipts, statuses, the legal basis
-- and the audit chain stay. A legal hold on a case thread stops its purge.

-- A purged exchange has no envelope (nor do its deliveries' minimised copies); each
-- delivery keeps which data categories its copy carried, for the subject access report.
ALTER TABLE exchanges ALTER COLUMN envelope DROP NOT NULL;
ALTER TABLE exchanges ADD COLUMN purged_at timestamptz;
ALTER TABLE deliveries ADD COLUMN disclosed_categories text[];
-- The subject's pseudonym, kept after the purge: the subject access report finds every
-- disclosure by it (a pseudonym is no identity: only the gateway's key links it to one).
ALTER TABLE exchanges ADD COLUMN subject text;
UPDATE exchanges SET subject = envelope #>> '{payload,subject,pseudonym}';
CREATE INDEX exchanges_subject ON exchanges (subject) WHERE subject IS NOT NULL;
-- The purge walks exchanges in seq order (their unique index) from where its last batch
-- stopped: no index of its own for acceptance to keep up.

CREATE TABLE legal_holds (
  id             uuid PRIMARY KEY,
  correlation_id text NOT NULL,
  reason         text NOT NULL,
  placed_at      timestamptz NOT NULL,
  placed_by      text NOT NULL,
  released_at    timestamptz,
  released_by    text,
  release_reason text,
  CHECK ((released_at IS NULL) = (released_by IS NULL))
);
-- One hold in force per case thread at a time.
CREATE UNIQUE INDEX legal_holds_active ON legal_holds (correlation_id) WHERE released_at IS NULL;
