-- The consent registry. Rows are never deleted: withdrawal and expiry are recorded.
-- Subjects appear by pseudonym only; no identity data is stored here.
CREATE TABLE consents (
  id uuid PRIMARY KEY,
  subject text NOT NULL,
  given_by jsonb NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL,
  scope jsonb NOT NULL,
  valid_from timestamptz NOT NULL,
  valid_until timestamptz,
  evidence jsonb NOT NULL,
  receipt_signature text NOT NULL,
  withdrawn_at timestamptz,
  withdrawal_reason text,
  withdrawn_by text,
  CHECK (valid_until IS NULL OR valid_until > valid_from),
  CHECK ((withdrawn_at IS NULL) = (withdrawal_reason IS NULL))
);

CREATE INDEX consents_subject ON consents (subject, recorded_at DESC);
