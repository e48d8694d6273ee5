-- The PostgreSQL twin of db/migrations/0013: each scan's watched-package lag weighed once when the scan succeeds, and
-- a version number that moves whenever the set of succeeded scans changes (what the dashboard's caches are kept until).
CREATE TABLE "data_versions" (
	"name" text PRIMARY KEY NOT NULL,
	"version" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO "data_versions" ("name", "version") VALUES ('succeeded_scans', 0);
--> statement-breakpoint
-- Inserts and deletes are counted once per statement, over its rows: a retention run deleting thousands of scans
-- would otherwise update the one version row once per scan, each update slower than the last within a transaction.
CREATE FUNCTION succeeded_scans_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each transition table exists only for its own trigger: the branches are separate statements, planned when reached.
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM inserted_scans WHERE status = 'succeeded') THEN RETURN NULL; END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM deleted_scans WHERE status = 'succeeded') THEN RETURN NULL; END IF;
  END IF;
  UPDATE data_versions SET version = version + 1 WHERE name = 'succeeded_scans';
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER succeeded_scans_inserted AFTER INSERT ON scans REFERENCING NEW TABLE AS inserted_scans
  FOR EACH STATEMENT EXECUTE FUNCTION succeeded_scans_changed();
--> statement-breakpoint
CREATE TRIGGER succeeded_scans_status AFTER UPDATE OF status ON scans FOR EACH ROW
  WHEN ((NEW.status = 'succeeded') IS DISTINCT FROM (OLD.status = 'succeeded')) EXECUTE FUNCTION succeeded_scans_changed();
--> statement-breakpoint
-- Also when a connector's deletion cascades to its scans; TRUNCATE, which DELETE triggers don't see, too.
CREATE TRIGGER succeeded_scans_deleted AFTER DELETE ON scans REFERENCING OLD TABLE AS deleted_scans
  FOR EACH STATEMENT EXECUTE FUNCTION succeeded_scans_changed();
--> statement-breakpoint
CREATE TRIGGER succeeded_scans_truncated AFTER TRUNCATE ON scans FOR EACH STATEMENT EXECUTE FUNCTION succeeded_scans_changed();
--> statement-breakpoint
ALTER TABLE "scans" ADD COLUMN "watched_lag_risk" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Scans stored before the column: their watched packages' lag, weighed as db/queries/fleet.ts (watchedCounts) does.
UPDATE "scans" SET "watched_lag_risk" = coalesce((
  SELECT sum(CASE WHEN p.lag = 'vulnerable' THEN 100 WHEN NOT "scans"."advisories_known" THEN 0
    WHEN p.lag = 'major' THEN 8 WHEN p.lag = 'minor' THEN 3 WHEN p.lag = 'patch' THEN 1 ELSE 0 END)
  FROM "scan_packages" p WHERE p.scan_id = "scans"."id"
), 0);
