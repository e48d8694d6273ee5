ALTER TABLE `scans` ADD `advisories_critical` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `scans` ADD `advisories_high` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `scans` ADD `watched_vulnerable` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `scans` ADD `watched_behind` integer DEFAULT 0 NOT NULL;