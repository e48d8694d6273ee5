CREATE TABLE `scan_packages` (
	`scan_id` integer NOT NULL,
	`connector_id` integer NOT NULL,
	`package` text NOT NULL,
	`version` text NOT NULL,
	`latest` text,
	`lag` text NOT NULL,
	`advisories` text NOT NULL,
	`fixed_in` text,
	PRIMARY KEY(`scan_id`, `package`, `version`),
	FOREIGN KEY (`scan_id`) REFERENCES `scans`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connector_id`) REFERENCES `connectors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scan_packages_connector_idx` ON `scan_packages` (`connector_id`,`scan_id`);--> statement-breakpoint
CREATE INDEX `scan_packages_package_idx` ON `scan_packages` (`package`);