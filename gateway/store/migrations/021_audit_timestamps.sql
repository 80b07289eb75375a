-- RFC 3161 timestamps of signed checkpoints, from the TSA the operator configures
-- (audit.timestamping). A checkpoint is signed without waiting for the TSA; the chaining job
-- asks for its token afterwards and again on later runs while the TSA cannot be reached.
-- Append-only like the rest of the log.
CREATE TABLE audit_checkpoint_timestamps (
  tree_size   bigint PRIMARY KEY REFERENCES audit_checkpoints (tree_size),
  tsa         text NOT NULL,                    -- the TSA's URL
  gen_time    timestamptz NOT NULL,             -- the TSA's time in the token
  token       bytea NOT NULL,                   -- DER TimeStampToken over SHA-256 of the checkpoint's JWS
  stamped_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER audit_checkpoint_timestamps_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint_timestamps FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_checkpoint_timestamps_no_truncate BEFORE TRUNCATE ON audit_checkpoint_timestamps FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
