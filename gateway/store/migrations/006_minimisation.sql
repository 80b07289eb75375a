-- Data minimisation: what a recipient may not see is removed from its copy. The projected
-- envelope, its digest and its seal are kept on the delivery when they differ from the
-- exchange's (only when something was withheld), with the categories withheld.
ALTER TABLE deliveries ADD COLUMN withheld_categories text[] NOT NULL DEFAULT '{}';
ALTER TABLE deliveries ADD COLUMN envelope jsonb;
ALTER TABLE deliveries ADD COLUMN envelope_digest text;
ALTER TABLE deliveries ADD COLUMN seal text;
