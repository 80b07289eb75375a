-- Coordination (issue: coordination): each referral's business state, derived from its case
-- thread's messages, and what a case-thread view shows.
--
-- A projector (a periodic job of the relay) follows the audit log in its chained order, the
-- one order of changes that nothing commits behind, from `case_projection.position`: every
-- accepted exchange gets a `case_messages` row with its case metadata (fields the contract
-- marks x-case-metadata: not personal data, kept after the payload is purged), every
-- referral a `referrals` row per recipient, and each referral of a thread that changed gets
-- its state again from those rows and its delivery's events. It lags acceptance by the
-- chaining interval and its own (a second or two); a crash loses nothing.
--
-- No foreign keys to exchanges or deliveries: the projection is derived from them, and a
-- foreign key's check would lock their rows (FOR KEY SHARE) while it writes — rows the
-- relay and the purge take with SKIP LOCKED at that moment.
CREATE TABLE case_projection (
  id        smallint PRIMARY KEY CHECK (id = 1),
  position  bigint NOT NULL                      -- the audit chain's next position to read
);
INSERT INTO case_projection (id, position) VALUES (1, 0);

CREATE TABLE case_messages (
  exchange_id     uuid PRIMARY KEY,
  seq             bigint NOT NULL,               -- the exchange's order of acceptance
  correlation_id  text NOT NULL,
  type            text NOT NULL,
  sender          text NOT NULL,
  recipients      text[] NOT NULL,
  message_id      text NOT NULL,
  in_reply_to     text,
  accepted_at     timestamptz NOT NULL,
  facts           jsonb NOT NULL                 -- case metadata only: decision, declineReason, update, closure, urgency, respondBy, startsOn, followUpUntil
);
CREATE INDEX case_messages_thread ON case_messages (correlation_id, seq);
-- What a referral's state reads: its owner's messages in its thread.
CREATE INDEX case_messages_sender ON case_messages (correlation_id, sender, seq);

-- A referral to one recipient: the FHIR Task of docs/coordination.md.
CREATE TABLE referrals (
  delivery_id     uuid PRIMARY KEY,
  exchange_id     uuid NOT NULL,
  correlation_id  text NOT NULL,
  requester       text NOT NULL,                 -- the referral's sender
  owner           text NOT NULL,                 -- its recipient: who is asked to act
  requested_at    timestamptz NOT NULL,
  urgency         text,
  respond_by      timestamptz,                   -- as the referral states it
  state           text NOT NULL CHECK (state IN ('requested', 'received', 'accepted', 'declined', 'in-progress', 'completed', 'cancelled', 'expired')),
  state_at        timestamptz NOT NULL
);
CREATE INDEX referrals_thread ON referrals (correlation_id, owner);
CREATE INDEX referrals_exchange ON referrals (exchange_id);
CREATE INDEX referrals_owner ON referrals (owner, state);
CREATE INDEX referrals_requester ON referrals (requester, state);
