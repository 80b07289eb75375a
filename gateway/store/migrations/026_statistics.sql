-- National indicators (issue: indicators, docs/statistics.md).
--
-- `statistics_facts`: what an exchange says that the indicators count by, captured by the
-- case projector from the payload as sent, in the same transaction that projects the
-- exchange: the subject's pseudonym (the unit counted: distinct persons), sex, age band
-- (never the date of birth), citizenship, forms of exploitation, the NRM measures reported
-- or requested, and whether the child-protection basis applied. No name, no date of birth,
-- no free text. The payload is purged after `retention.payloadDays`; these facts stay until
-- `statistics.factsYears` full calendar years after their own (statistical purpose with
-- pseudonymisation, GDPR Art. 89(1); docs/statistics.md#retention), then the retention job
-- deletes them. Published releases never hold a pseudonym.
CREATE TABLE statistics_facts (
  exchange_id  uuid PRIMARY KEY,
  subject      text NOT NULL,
  accepted_at  timestamptz NOT NULL,
  facts        jsonb NOT NULL
);
CREATE INDEX statistics_facts_accepted ON statistics_facts (accepted_at);

-- A release: every cell of one year's lattice as of one instant, after disclosure control,
-- stored the first time it is asked for and served from here afterwards (the same question
-- gets the same answer, even after the facts behind it are purged). Append-only.
CREATE TABLE statistics_releases (
  year         integer NOT NULL,
  as_of        timestamptz NOT NULL,
  k            integer NOT NULL CHECK (k >= 11),
  body         jsonb NOT NULL,
  digest       text NOT NULL,               -- SHA-256 of the body's canonical JSON, as the audit entry states it
  released_at  timestamptz NOT NULL DEFAULT now(),
  released_by  text NOT NULL,
  PRIMARY KEY (year, as_of, k)
);
CREATE TRIGGER statistics_releases_append_only BEFORE UPDATE OR DELETE ON statistics_releases FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER statistics_releases_no_truncate BEFORE TRUNCATE ON statistics_releases FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
