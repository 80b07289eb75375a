-- Receipts owed to peers that cannot go now (peer not configured any more, 409 because the
-- peer has not recorded its hand-over yet, 5xx, unreachable) wait with a back-off instead of
-- staying at the head of the list: `peer_receipt_next_at` says when to try again. One owed
-- for longer than the give-up period is set aside (`peer_receipt_abandoned_at`) and logged.
ALTER TABLE deliveries ADD COLUMN peer_receipt_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN peer_receipt_next_at timestamptz;
ALTER TABLE deliveries ADD COLUMN peer_receipt_abandoned_at timestamptz;
DROP INDEX deliveries_peer_receipts_due;
CREATE INDEX deliveries_peer_receipts_due ON deliveries ((coalesce(peer_receipt_next_at, status_changed_at)))
  WHERE peer_delivery_id IS NOT NULL AND peer_receipt_sent_at IS NULL AND peer_receipt_abandoned_at IS NULL AND status = 'acknowledged';
