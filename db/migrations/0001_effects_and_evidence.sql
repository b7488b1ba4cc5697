CREATE TABLE `delivery_attempts` (
	`outbox_id` integer NOT NULL,
	`attempt` integer NOT NULL,
	`at` text NOT NULL,
	`ok` integer NOT NULL,
	`status_code` integer,
	`error` text,
	`duration_ms` integer NOT NULL,
	PRIMARY KEY(`outbox_id`, `attempt`)
);
--> statement-breakpoint
CREATE TABLE `evidence` (
	`id` text PRIMARY KEY NOT NULL,
	`dispute_id` text NOT NULL,
	`sha256` text NOT NULL,
	`size` integer NOT NULL,
	`media_type` text NOT NULL,
	`kind` text NOT NULL,
	`uploader_role` text NOT NULL,
	`uploader_id` text NOT NULL,
	`uploaded_at` text NOT NULL,
	`display_name` text,
	`storage_key` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `evidence_dispute` ON `evidence` (`dispute_id`,`uploaded_at`);--> statement-breakpoint
CREATE TABLE `simulated_payments` (
	`idempotency_key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`dispute_id` text NOT NULL,
	`refund_id` text,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`outcome` text NOT NULL,
	`failure` text,
	`report_at` text NOT NULL,
	`reported_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `simulated_payments_due` ON `simulated_payments` (`reported_at`,`report_at`);--> statement-breakpoint
DROP INDEX `outbox_dispute`;--> statement-breakpoint
ALTER TABLE `outbox` ADD `channel` text DEFAULT 'payments' NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `delivery_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `done_at` text;--> statement-breakpoint
CREATE INDEX `outbox_dispute` ON `outbox` (`dispute_id`,`channel`,`id`);--> statement-breakpoint
ALTER TABLE `orders` ADD `payment_instrument` text;--> statement-breakpoint
-- drizzle-kit 0.31 quotes expression indexes as columns; written by hand.
CREATE INDEX `disputes_return_tracking` ON `disputes` (json_extract(`snapshot`, '$.context.returnShipment.trackingNumber'));