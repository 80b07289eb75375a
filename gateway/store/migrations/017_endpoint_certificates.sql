-- TLS server certificates for participants' own endpoints (where the gateway pushes), issued
-- from CSRs by certificate officers: recorded, listed and revoked like every other.
ALTER TABLE certificates DROP CONSTRAINT certificates_subject_kind_check;
ALTER TABLE certificates ADD CONSTRAINT certificates_subject_kind_check
  CHECK (subject_kind IN ('participant', 'adapter', 'administrator', 'gateway', 'endpoint'));
