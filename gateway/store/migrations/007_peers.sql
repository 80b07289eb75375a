-- Exchanges relayed by a peer gateway abroad (TRM): each local delivery remembers the peer
-- and the peer's own delivery id, so that once the recipient acknowledges, a receipt signed
-- by this gateway goes back to the peer for that delivery; `peer_receipt_sent_at` records it.
ALTER TABLE deliveries ADD COLUMN peer text;
ALTER TABLE deliveries ADD COLUMN peer_delivery_id uuid;
ALTER TABLE deliveries ADD COLUMN peer_receipt_sent_at timestamptz;
CREATE INDEX deliveries_peer_receipts_due ON deliveries (status_changed_at)
  WHERE peer_delivery_id IS NOT NULL AND peer_receipt_sent_at IS NULL AND status = 'acknowledged';
