-- Trust: every certificate the gateway CA issued, revocations, seals and signed receipts.

-- Issued certificates. Rows are never deleted: revocation sets revoked_at. The serial is
-- lowercase hex without leading zeros.
CREATE TABLE certificates (
  serial text PRIMARY KEY,
  subject_kind text NOT NULL CHECK (subject_kind IN ('participant', 'adapter', 'administrator', 'gateway')),
  participant text,
  name text,
  roles text[] NOT NULL DEFAULT '{}',
  fingerprint text NOT NULL UNIQUE,
  not_before timestamptz NOT NULL,
  not_after timestamptz NOT NULL,
  certificate text NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  issued_by text NOT NULL,
  replaces text REFERENCES certificates (serial),
  revoked_at timestamptz,
  revocation_reason text,
  revoked_by text,
  CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL))
);

CREATE INDEX certificates_participant ON certificates (participant, not_after);
CREATE INDEX certificates_expiring ON certificates (not_after) WHERE revoked_at IS NULL;
CREATE INDEX certificates_revoked ON certificates (revoked_at) WHERE revoked_at IS NOT NULL;

-- RFC 5280 §5.2.3: each CRL the gateway signs gets the next number.
CREATE SEQUENCE crl_number;

-- The gateway's seal (detached JWS over the canonical envelope) and the sender's own
-- signature when it signed the submission.
ALTER TABLE exchanges ADD COLUMN seal text;
ALTER TABLE exchanges ADD COLUMN sender_signature text;

-- The recipient's signed receipt (compact JWS) that acknowledged the delivery.
ALTER TABLE deliveries ADD COLUMN receipt text;
