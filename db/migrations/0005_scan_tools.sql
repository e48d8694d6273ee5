CREATE TABLE `scan_tools` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scan_id` integer NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`title` text,
	`description` text,
	`path` text NOT NULL,
	`line` integer NOT NULL,
	`data` text NOT NULL,
	FOREIGN KEY (`scan_id`) REFERENCES `scans`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scan_tools_scan_idx` ON `scan_tools` (`scan_id`,`position`);--> statement-breakpoint
CREATE INDEX `scan_tools_name_idx` ON `scan_tools` (`name`);