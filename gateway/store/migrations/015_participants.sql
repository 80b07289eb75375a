-- The participant registry, in the store: seeded from the configuration at start (a
-- participant already here keeps what administrators made of it), changed at run time by
-- operators through the admin routes, each change audited in its own statement. Every
-- change takes a new version from one sequence, so a process sees that something changed
-- by reading one number.
CREATE SEQUENCE participant_versions;
CREATE TABLE participants (
  id                text PRIMARY KEY,
  -- The contract's Participant: name, kind, country, accepts, sends, requiresSignedSubmissions.
  definition        jsonb NOT NULL,
  origin            text NOT NULL CHECK (origin IN ('configuration', 'administrator')),
  suspended_at      timestamptz,
  suspended_by      text,
  suspension_reason text,
  version           bigint NOT NULL DEFAULT nextval('participant_versions'),
  changed_at        timestamptz NOT NULL DEFAULT now(),
  changed_by        text NOT NULL
);
