-- Deadline clocks and the alerts they raise (issue: coordination).
--
-- The case projector starts clocks from the messages it projects (docs/coordination.md has
-- the kinds) and stops them when a later message satisfies them; the clock job fires those
-- due, each once however many processes run it: a clock moves from `pending` to `fired` in
-- the same statement that writes its alerts, one per participant told.
CREATE TABLE case_clocks (
  id              uuid PRIMARY KEY,
  key             text NOT NULL UNIQUE,            -- what started it: starting it twice is a no-op
  kind            text NOT NULL CHECK (kind IN ('response-due', 'reflection-period-ending', 'guardian-missing', 'follow-up-due', 'safe-return-overdue')),
  correlation_id  text NOT NULL,
  responsible     text NOT NULL,                   -- the participant who must act
  started_by      uuid NOT NULL,                   -- the exchange that started it (no foreign key: see 022)
  started_seq     bigint NOT NULL,                 -- only later messages stop it
  delivery_id     uuid,                            -- a response-due clock's referral
  due_at          timestamptz NOT NULL,
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'fired', 'stopped')),
  fired_at        timestamptz,
  stopped_at      timestamptz,
  stopped_by      uuid                             -- the exchange that satisfied it
);
CREATE INDEX case_clocks_due ON case_clocks (due_at) WHERE state = 'pending';
CREATE INDEX case_clocks_thread ON case_clocks (correlation_id);
CREATE INDEX case_clocks_referral ON case_clocks (delivery_id) WHERE state = 'pending';

CREATE TABLE alerts (
  id               uuid PRIMARY KEY,
  clock_id         uuid NOT NULL REFERENCES case_clocks (id),
  kind             text NOT NULL,
  correlation_id   text NOT NULL,
  participant      text NOT NULL,                  -- who is told
  responsible      text NOT NULL,
  due_at           timestamptz NOT NULL,
  raised_at        timestamptz NOT NULL,
  acknowledged_at  timestamptz,
  acknowledged_by  text,
  UNIQUE (clock_id, participant)
);
CREATE INDEX alerts_participant ON alerts (participant, raised_at);
CREATE INDEX alerts_open ON alerts (raised_at) WHERE acknowledged_at IS NULL;

-- Each alert's e-mail, sent (and retried) by the relay's job; ids and links only.
CREATE TABLE alert_emails (
  alert_id         uuid NOT NULL REFERENCES alerts (id),
  address          text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  sent_at          timestamptz,
  last_error       text,
  PRIMARY KEY (alert_id, address)
);
CREATE INDEX alert_emails_due ON alert_emails (next_attempt_at) WHERE status = 'pending';
