-- A consent officer's link from a pseudonym the gateway issued (a person without documents)
-- to the pseudonym computed once the identity is established: from then on both name one
-- subject, so a consent recorded under either covers exchanges about the other. An issued
-- pseudonym links to one computed pseudonym, once.
CREATE TABLE pseudonym_links (
  issued    text PRIMARY KEY REFERENCES issued_pseudonyms (pseudonym),
  computed  text NOT NULL,
  linked_by text NOT NULL,
  linked_at timestamptz NOT NULL
);
CREATE INDEX pseudonym_links_computed ON pseudonym_links (computed);
