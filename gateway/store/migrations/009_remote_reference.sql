-- The recipient system's own reference for what it was handed (the ministry's registration
-- number, SACP's tracking id, the peer gateway's delivery id): operators quote these.
ALTER TABLE delivery_attempts ADD COLUMN remote_reference text;
