-- Every delivery status change in one place. The moves a delivery may make are the rows of
-- `delivery_transitions` (the same list as TRANSITIONS in gateway/deliveries/status.ts; a
-- test holds them together), and the database refuses any other. Each change writes its
-- event here, and nowhere else: a statement that changes `status` may say why in
-- `status_detail`, which the event takes and which is always empty at rest. A statement
-- that leaves the status as it is but sets a detail (a new attempt at a delivery a dead
-- worker left `delivering`) writes an event too.
CREATE TABLE delivery_transitions (
  from_status text NOT NULL,
  to_status   text NOT NULL,
  PRIMARY KEY (from_status, to_status)
);
INSERT INTO delivery_transitions (from_status, to_status) VALUES
  ('accepted', 'queued'), ('accepted', 'cancelled'), ('accepted', 'withheld'), ('accepted', 'expired'),
  ('queued', 'delivering'), ('queued', 'delivered'), ('queued', 'cancelled'), ('queued', 'withheld'), ('queued', 'expired'),
  ('retrying', 'delivering'), ('retrying', 'cancelled'), ('retrying', 'withheld'), ('retrying', 'expired'),
  ('delivering', 'delivered'), ('delivering', 'acknowledged'), ('delivering', 'retrying'), ('delivering', 'failed'),
  ('delivering', 'withheld'), ('delivering', 'expired'),
  ('delivered', 'acknowledged'),
  ('failed', 'queued');

ALTER TABLE deliveries ADD COLUMN status_detail jsonb;

CREATE FUNCTION delivery_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO delivery_events (delivery_id, status, at, detail) VALUES (NEW.id, NEW.status, NEW.status_changed_at, COALESCE(NEW.status_detail, '{}'));
    RETURN NULL;
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    IF NOT EXISTS (SELECT 1 FROM delivery_transitions WHERE from_status = OLD.status AND to_status = NEW.status) THEN
      RAISE EXCEPTION 'a delivery may not move from % to %', OLD.status, NEW.status USING ERRCODE = 'check_violation';
    END IF;
    NEW.status_changed_at := clock_timestamp();
    -- A receipt can overtake the worker's own record of the hand-over: it was delivered first.
    IF OLD.status = 'delivering' AND NEW.status = 'acknowledged' THEN
      INSERT INTO delivery_events (delivery_id, status, at, detail) VALUES (NEW.id, 'delivered', NEW.status_changed_at, COALESCE(NEW.status_detail, '{}'));
    END IF;
    INSERT INTO delivery_events (delivery_id, status, at, detail) VALUES (NEW.id, NEW.status, NEW.status_changed_at, COALESCE(NEW.status_detail, '{}'));
  ELSIF NEW.status_detail IS NOT NULL THEN
    NEW.status_changed_at := clock_timestamp();
    INSERT INTO delivery_events (delivery_id, status, at, detail) VALUES (NEW.id, NEW.status, NEW.status_changed_at, COALESCE(NEW.status_detail, '{}'));
  END IF;
  NEW.status_detail := NULL;
  RETURN NEW;
END $$;

CREATE TRIGGER delivery_status_changed BEFORE UPDATE OF status, status_detail ON deliveries
  FOR EACH ROW EXECUTE FUNCTION delivery_status_changed();
CREATE TRIGGER delivery_accepted AFTER INSERT ON deliveries
  FOR EACH ROW EXECUTE FUNCTION delivery_status_changed();
