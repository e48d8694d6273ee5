CREATE TABLE `alert_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`webhook_id` text NOT NULL,
	`event` text NOT NULL,
	`connector_id` integer,
	`dedupe_key` text,
	`status` integer,
	`error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_deliveries_dedupe_idx` ON `alert_deliveries` (`webhook_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_at_idx` ON `alert_deliveries` (`at`);--> statement-breakpoint
ALTER TABLE `connectors` ADD `scan_interval_minutes` integer DEFAULT 1440 NOT NULL;