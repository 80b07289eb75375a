-- Queued delivery: channel, expiry, attempts, dead letters, webhooks (issue: reliable queued delivery).

ALTER TABLE deliveries ADD COLUMN channel text CHECK (channel IN ('push', 'pull'));
ALTER TABLE deliveries ADD COLUMN expires_at timestamptz;
ALTER TABLE deliveries ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN last_error jsonb;
ALTER TABLE deliveries ADD COLUMN discarded_at timestamptz;
ALTER TABLE deliveries ADD COLUMN discard_reason text;
CREATE INDEX deliveries_status ON deliveries (status, status_changed_at);

-- A relay claims outbox rows before it enqueues them; a claim older than a minute is
-- free again (the relay died between claiming and enqueueing).
ALTER TABLE outbox ADD COLUMN claimed_at timestamptz;

-- Readers of the event log (status streams, webhook dispatch) follow it by id. Ids are
-- taken at insert but transactions commit in any order, so a reader only sees events
-- whose transaction is older than every transaction still running: it can never pass an
-- id that is still to commit.
ALTER TABLE delivery_events ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();

CREATE TABLE delivery_attempts (
  id           bigserial PRIMARY KEY,
  delivery_id  uuid NOT NULL REFERENCES deliveries (id),
  attempt      integer NOT NULL,
  started_at   timestamptz NOT NULL,
  duration_ms  integer NOT NULL,
  outcome      text NOT NULL CHECK (outcome IN ('delivered', 'transient-error', 'permanent-error')),
  error        jsonb
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, id);

CREATE TABLE webhooks (
  id           uuid PRIMARY KEY,
  participant  text NOT NULL,
  url          text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz
);
CREATE INDEX webhooks_participant ON webhooks (participant) WHERE deleted_at IS NULL;

-- How far the webhook dispatcher has read delivery_events.
CREATE TABLE webhook_cursor (
  id             integer PRIMARY KEY CHECK (id = 1),
  last_event_id  bigint NOT NULL
);
INSERT INTO webhook_cursor (id, last_event_id) VALUES (1, 0);
