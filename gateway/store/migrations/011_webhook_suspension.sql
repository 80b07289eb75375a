-- A webhook whose notifications keep failing for good (the URL gone, refusing, unreachable
-- through every retry) is suspended instead of being tried for every event forever: the
-- count of final failures in a row, and when it was suspended. Registering it again resumes it.
ALTER TABLE webhooks ADD COLUMN failed_in_a_row integer NOT NULL DEFAULT 0;
ALTER TABLE webhooks ADD COLUMN suspended_at timestamptz;
