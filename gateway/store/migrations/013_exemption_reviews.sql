-- Exemptions whose written justification says nothing ("aaaa…", "test test"): the exchange
-- is accepted, and the exemption waits here, written in the acceptance's own statement, for
-- a person to judge it. The justification is kept with the review (it is what is judged);
-- it must not hold identity data by contract.
CREATE TABLE exemption_reviews (
  id            uuid PRIMARY KEY,
  exchange_id   uuid NOT NULL REFERENCES exchanges (id),
  sender        text NOT NULL,
  exemption     text NOT NULL,
  justification text NOT NULL,
  concerns      jsonb NOT NULL,
  flagged_at    timestamptz NOT NULL,
  closed_at     timestamptz,
  closed_by     text,
  outcome       text CHECK (outcome IN ('justified', 'not-justified')),
  note          text,
  CHECK ((closed_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX exemption_reviews_open ON exemption_reviews (flagged_at, id) WHERE closed_at IS NULL;
CREATE INDEX exemption_reviews_sender ON exemption_reviews (sender, flagged_at);
