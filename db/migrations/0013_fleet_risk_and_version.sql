-- Two things the fleet dashboard read on every request, kept by the database instead (db/migrations-pg/0002 is the
-- PostgreSQL twin): each scan's watched-package lag weighed once when the scan succeeds, and a version number that
-- moves whenever the set of succeeded scans changes (what the dashboard's caches are kept until).
CREATE TABLE `data_versions` (
	`name` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO `data_versions` (`name`, `version`) VALUES ('succeeded_scans', 0);
--> statement-breakpoint
CREATE TRIGGER succeeded_scans_inserted AFTER INSERT ON scans WHEN NEW.status = 'succeeded'
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'succeeded_scans';
END;
--> statement-breakpoint
CREATE TRIGGER succeeded_scans_status AFTER UPDATE OF status ON scans
WHEN (NEW.status = 'succeeded') <> (OLD.status = 'succeeded')
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'succeeded_scans';
END;
--> statement-breakpoint
-- Also when a connector's deletion cascades to its scans.
CREATE TRIGGER succeeded_scans_deleted AFTER DELETE ON scans WHEN OLD.status = 'succeeded'
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'succeeded_scans';
END;
--> statement-breakpoint
ALTER TABLE `scans` ADD `watched_lag_risk` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Scans stored before the column: their watched packages' lag, weighed as db/queries/fleet.ts (watchedCounts) does.
UPDATE `scans` SET `watched_lag_risk` = coalesce((
  SELECT sum(CASE WHEN p.lag = 'vulnerable' THEN 100 WHEN NOT `scans`.`advisories_known` THEN 0
    WHEN p.lag = 'major' THEN 8 WHEN p.lag = 'minor' THEN 3 WHEN p.lag = 'patch' THEN 1 ELSE 0 END)
  FROM `scan_packages` p WHERE p.scan_id = `scans`.`id`
), 0);
