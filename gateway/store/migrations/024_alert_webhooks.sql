-- Alerts go to the participant's webhooks too, through the webhook queue: the dispatcher
-- takes the alerts not yet handed to it (locked, so one dispatcher takes each) and marks them.
ALTER TABLE alerts ADD COLUMN webhooks_dispatched boolean NOT NULL DEFAULT false;
CREATE INDEX alerts_undispatched ON alerts (raised_at) WHERE NOT webhooks_dispatched;
