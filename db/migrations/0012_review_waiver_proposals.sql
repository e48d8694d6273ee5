CREATE TABLE `review_waiver_proposals` (
	`review_id` integer NOT NULL,
	`item_id` text NOT NULL,
	`proposal_key` text NOT NULL,
	`decision` text NOT NULL,
	`decided_by` text NOT NULL,
	`decided_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`review_id`, `item_id`, `proposal_key`),
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE cascade
);
