-- Tracking that stays fast at a million exchanges (issue: performance): a participant's
-- exchanges are those it sent (`exchanges_sender`, in seq order) and those delivered to it.
-- The second needs its deliveries in the exchanges' order: each delivery carries its
-- exchange's seq, written by the acceptance statement, and the recipient index is on it
-- (replacing the one on (recipient, exchange_id), whose lookups the unique
-- (exchange_id, recipient) serves). Listing then merges two index walks instead of testing
-- every exchange with `sender = $1 OR EXISTS (…)`.
ALTER TABLE deliveries ADD COLUMN exchange_seq bigint;
UPDATE deliveries d SET exchange_seq = e.seq FROM exchanges e WHERE e.id = d.exchange_id;
ALTER TABLE deliveries ALTER COLUMN exchange_seq SET NOT NULL;
DROP INDEX deliveries_recipient;
CREATE INDEX deliveries_recipient ON deliveries (recipient, exchange_seq);
-- Listing by a rare status (failed, retrying) reads the deliveries in it from the status
-- index alone: it carries their exchange's seq and recipient.
DROP INDEX deliveries_status;
CREATE INDEX deliveries_status ON deliveries (status, status_changed_at) INCLUDE (exchange_seq, recipient);
