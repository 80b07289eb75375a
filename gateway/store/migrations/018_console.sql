-- What the console needs (issue: the administrators' tools, part 2).

-- A consent receipt carries a withdrawal code: the person withdraws with it through any
-- consent officer or NGO, not only the agency that recorded the consent. The code is random
-- (it says nothing about the person) and only its SHA-256 is kept: whoever reads the store
-- cannot withdraw anyone's consent. A new code (a receipt printed again) replaces the old.
ALTER TABLE consents ADD COLUMN withdrawal_code_hash text;
CREATE UNIQUE INDEX consents_withdrawal_code ON consents (withdrawal_code_hash) WHERE withdrawal_code_hash IS NOT NULL;

-- The overview's failures of the last day: failed attempts by time. Partial, so a
-- successful attempt (nearly all of them) pays nothing for it.
CREATE INDEX delivery_attempts_failed ON delivery_attempts (started_at) WHERE outcome <> 'delivered';

-- Consents about to lapse, for the overview's warning.
CREATE INDEX consents_expiring ON consents (valid_until) WHERE withdrawn_at IS NULL AND valid_until IS NOT NULL;
