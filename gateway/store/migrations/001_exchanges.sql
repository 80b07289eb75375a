-- Exchanges, their deliveries, the outbox, the audit log and idempotency keys (issue: gateway core).

CREATE TABLE exchanges (
  id               uuid PRIMARY KEY,
  seq              bigserial NOT NULL UNIQUE,          -- order of acceptance; pagination key
  sender           text NOT NULL,
  message_id       text NOT NULL,
  type             text NOT NULL,
  schema_version   text NOT NULL,
  correlation_id   text NOT NULL,
  in_reply_to      text,
  recipients       text[] NOT NULL,
  created_at       timestamptz NOT NULL,               -- as stated by the sender
  accepted_at      timestamptz NOT NULL,
  envelope         jsonb NOT NULL,                     -- holds personal data; purged after retention
  envelope_digest  text NOT NULL,
  legal_basis      jsonb
);
CREATE INDEX exchanges_correlation ON exchanges (correlation_id, seq);
CREATE INDEX exchanges_sender ON exchanges (sender, seq);
CREATE INDEX exchanges_message ON exchanges (message_id);

CREATE TABLE deliveries (
  id                 uuid PRIMARY KEY,
  exchange_id        uuid NOT NULL REFERENCES exchanges (id),
  recipient          text NOT NULL,
  status             text NOT NULL CHECK (status IN ('accepted', 'queued', 'delivering', 'retrying', 'delivered',
                                                     'acknowledged', 'failed', 'withheld', 'expired', 'cancelled')),
  status_changed_at  timestamptz NOT NULL,
  UNIQUE (exchange_id, recipient)
);
CREATE INDEX deliveries_recipient ON deliveries (recipient, exchange_id);

CREATE TABLE delivery_events (
  id           bigserial PRIMARY KEY,
  delivery_id  uuid NOT NULL REFERENCES deliveries (id),
  status       text NOT NULL,
  at           timestamptz NOT NULL,
  detail       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX delivery_events_delivery ON delivery_events (delivery_id, id);

-- Rows wait here until the relay has put the delivery on its queue.
CREATE TABLE outbox (
  id           bigserial PRIMARY KEY,
  delivery_id  uuid NOT NULL REFERENCES deliveries (id),
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Who did what, when. No personal data: ids, types, codes only.
CREATE TABLE audit_log (
  seq          bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor        text NOT NULL,
  action       text NOT NULL,
  exchange_id  uuid,
  details      jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE idempotency_keys (
  sender          text NOT NULL,
  message_id      text NOT NULL,
  request_digest  text NOT NULL,
  exchange_id     uuid NOT NULL REFERENCES exchanges (id) DEFERRABLE INITIALLY DEFERRED,
  response        jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sender, message_id)
);
