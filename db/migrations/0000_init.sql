CREATE TABLE `clock_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`offset_ms` integer DEFAULT 0 NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `deadlines` (
	`dispute_id` text NOT NULL,
	`name` text NOT NULL,
	`event_type` text NOT NULL,
	`due_at` text NOT NULL,
	`priority` integer NOT NULL,
	PRIMARY KEY(`dispute_id`, `name`),
	FOREIGN KEY (`dispute_id`) REFERENCES `disputes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `deadlines_due` ON `deadlines` (`due_at`,`priority`);--> statement-breakpoint
CREATE TABLE `dispute_events` (
	`dispute_id` text NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`actor_role` text NOT NULL,
	`actor_id` text NOT NULL,
	`payload` text NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`at` text NOT NULL,
	`recorded_at` text NOT NULL,
	`idempotency_key` text,
	PRIMARY KEY(`dispute_id`, `seq`),
	FOREIGN KEY (`dispute_id`) REFERENCES `disputes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `disputes` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`item_id` text NOT NULL,
	`buyer_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`machine_id` text NOT NULL,
	`machine_version` integer NOT NULL,
	`state` text NOT NULL,
	`ended` integer NOT NULL,
	`snapshot` text NOT NULL,
	`input` text NOT NULL,
	`version` integer NOT NULL,
	`opened_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `disputes_order_item` ON `disputes` (`order_id`,`item_id`);--> statement-breakpoint
CREATE INDEX `disputes_buyer` ON `disputes` (`buyer_id`);--> statement-breakpoint
CREATE INDEX `disputes_seller` ON `disputes` (`seller_id`);--> statement-breakpoint
CREATE INDEX `disputes_state` ON `disputes` (`state`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`caller` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status_code` integer NOT NULL,
	`response` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`caller`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_created` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `order_items` (
	`order_id` text NOT NULL,
	`item_id` text NOT NULL,
	`price` integer NOT NULL,
	`shipping_cost` integer NOT NULL,
	`digital` integer NOT NULL,
	`free_return` integer NOT NULL,
	`shipped_at` text,
	`delivery_window_ends_at` text NOT NULL,
	`delivered_at` text,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`order_id`, `item_id`),
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`order_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`order_id` text PRIMARY KEY NOT NULL,
	`buyer_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`currency` text NOT NULL,
	`payment_method` text NOT NULL,
	`completed_at` text,
	`receipt_confirmed_at` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dispute_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`last_error` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outbox_pending` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_dispute` ON `outbox` (`dispute_id`,`id`);