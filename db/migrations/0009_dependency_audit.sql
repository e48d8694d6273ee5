CREATE TABLE `advisory_cache` (
	`source` text NOT NULL,
	`ecosystem` text NOT NULL,
	`package` text NOT NULL,
	`versions_key` text NOT NULL,
	`fetched_at` integer NOT NULL,
	`advisories` text NOT NULL,
	PRIMARY KEY(`source`, `ecosystem`, `package`, `versions_key`)
);
--> statement-breakpoint
CREATE TABLE `offline_advisories` (
	`id` text PRIMARY KEY NOT NULL,
	`record` text NOT NULL,
	`imported_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`imported_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `packument_cache` (
	`registry` text NOT NULL,
	`name` text NOT NULL,
	`etag` text,
	`fetched_at` integer NOT NULL,
	`body` text NOT NULL,
	PRIMARY KEY(`registry`, `name`)
);
