-- A tamper-evident audit log (issue: evidence that lasts).
--
-- `audit_log` stays what the one writer appends to, inside the change it records. The
-- chainer (a periodic job) then takes the new rows in batches and gives each a position in
-- an RFC 9162 Merkle tree: `audit_chain` holds each leaf's
-- hash and a running hash chain, `audit_tree_nodes` each complete subtree's hash, and
-- `audit_checkpoints` the signed roots. Acceptance never waits for any of it.
--
-- None of these rows may change or go: the triggers below refuse UPDATE, DELETE and
-- TRUNCATE. Whoever disables them (an owner can) is still found out by the verifier: the
-- rows no longer match the leaf hashes, the chain or the signed checkpoints.

-- The order of the chain is the order transactions finish in, made safe by their ids: each
-- entry carries its transaction's id, and the chainer takes, in (txid, seq) order, only
-- entries of transactions older than every transaction still running. No entry can join
-- that set later, so nothing is skipped, whatever order concurrent transactions commit in;
-- an entry waits (at most as long as the oldest open transaction) and a crash loses nothing.
-- Existing entries share the migration's id and are chained in seq order.
ALTER TABLE audit_log ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX audit_log_chain_order ON audit_log (txid, seq);

-- No foreign key to audit_log: a removed entry is for the verifier to find, not for the
-- database to hide by refusing (and it saves a lookup per entry).
CREATE TABLE audit_chain (
  position    bigint PRIMARY KEY CHECK (position >= 0),  -- the leaf's index in the tree
  seq         bigint NOT NULL UNIQUE,
  txid        xid8 NOT NULL,                              -- the entry's transaction: where the next batch starts
  leaf_hash   bytea NOT NULL,                             -- SHA-256(0x00 || RFC 8785 JSON of the entry)
  chain_hash  bytea NOT NULL                              -- SHA-256(previous chain_hash || leaf_hash); 32 zero bytes before the first
);

CREATE TABLE audit_tree_nodes (
  level  smallint NOT NULL CHECK (level >= 1),
  idx    bigint NOT NULL CHECK (idx >= 0),
  hash   bytea NOT NULL,
  PRIMARY KEY (level, idx)
);

CREATE TABLE audit_checkpoints (
  tree_size   bigint PRIMARY KEY CHECK (tree_size >= 1),
  root_hash   bytea NOT NULL,
  issued_at   timestamptz NOT NULL,
  checkpoint  text NOT NULL                               -- JWS by the seal key over {gateway, treeSize, rootHash, issuedAt}
);

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_tree_nodes_append_only BEFORE UPDATE OR DELETE ON audit_tree_nodes FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_tree_nodes_no_truncate BEFORE TRUNCATE ON audit_tree_nodes FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- What auditors search by: an exchange's entries, and time (BRIN: nearly free to keep, as
-- entries arrive in time order).
CREATE INDEX audit_log_exchange ON audit_log (exchange_id) WHERE exchange_id IS NOT NULL;
CREATE INDEX audit_log_at ON audit_log USING brin (at);

-- A delivery's outcome is an audit entry too, written by the database as the status
-- changes (the attempts stay in the delivery's own history): delivered, dead letter,
-- withheld, expired. Acknowledgement, cancellation and dead-letter retries are recorded by
-- the statements that make them, with who asked.
CREATE FUNCTION delivery_outcome_audited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (at, actor, action, exchange_id, details)
    VALUES (NEW.status_changed_at, 'gateway', 'delivery.' || NEW.status, NEW.exchange_id, jsonb_build_object('deliveryId', NEW.id, 'recipient', NEW.recipient));
  RETURN NULL;
END $$;
CREATE TRIGGER delivery_outcome_audited AFTER UPDATE OF status ON deliveries FOR EACH ROW
  WHEN (NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('delivered', 'failed', 'withheld', 'expired'))
  EXECUTE FUNCTION delivery_outcome_audited();
