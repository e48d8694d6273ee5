CREATE TABLE `review_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`review_id` integer NOT NULL,
	`item_id` text NOT NULL,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `review_comments_item_idx` ON `review_comments` (`review_id`,`item_id`);--> statement-breakpoint
CREATE TABLE `review_items` (
	`review_id` integer NOT NULL,
	`item_id` text NOT NULL,
	`auto_status` text NOT NULL,
	`findings` text NOT NULL,
	`evidence_digest` text NOT NULL,
	`decision` text,
	`decided_by` text,
	`decided_at` integer,
	`decision_note` text,
	`waiver_expires_at` integer,
	`attestation` text,
	`attestation_evidence` text,
	`attested_by` text,
	`attested_at` integer,
	`carried_over` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`review_id`, `item_id`),
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`connector_id` integer NOT NULL,
	`scan_id` integer NOT NULL,
	`checklist_version` integer NOT NULL,
	`status` text DEFAULT 'in-progress' NOT NULL,
	`previous_review_id` integer,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`stale_at` integer,
	`stale_reasons` text,
	`stale_scan_id` integer,
	FOREIGN KEY (`connector_id`) REFERENCES `connectors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`scan_id`) REFERENCES `scans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reviews_connector_idx` ON `reviews` (`connector_id`,`id`);--> statement-breakpoint
CREATE TABLE `sign_offs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`review_id` integer NOT NULL,
	`connector_id` integer NOT NULL,
	`scan_id` integer NOT NULL,
	`signed_by` text NOT NULL,
	`signed_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`commit` text NOT NULL,
	`checklist_version` integer NOT NULL,
	`decisions_hash` text NOT NULL,
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connector_id`) REFERENCES `connectors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sign_offs_review_id_unique` ON `sign_offs` (`review_id`);--> statement-breakpoint
CREATE INDEX `sign_offs_connector_idx` ON `sign_offs` (`connector_id`);