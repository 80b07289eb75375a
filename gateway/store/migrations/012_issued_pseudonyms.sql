-- Pseudonyms the gateway issued for subjects whose identity could not give one (no date of
-- birth, no documents): random, recorded with who it was issued to and for which exchange, in
-- the acceptance's own statement, so a consent officer can later tell a gateway-issued
-- pseudonym from one a sender invented, and link it once the identity is established.
CREATE TABLE issued_pseudonyms (
  pseudonym   text PRIMARY KEY,
  issued_to   text NOT NULL,
  issued_at   timestamptz NOT NULL,
  exchange_id uuid NOT NULL REFERENCES exchanges (id)
);
