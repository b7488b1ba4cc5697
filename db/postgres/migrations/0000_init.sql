CREATE TABLE "clock_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"offset_ms" bigint DEFAULT 0 NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deadlines" (
	"dispute_id" text NOT NULL,
	"name" text NOT NULL,
	"event_type" text NOT NULL,
	"due_at" text NOT NULL,
	"priority" integer NOT NULL,
	"claimed_until" text,
	CONSTRAINT "deadlines_dispute_id_name_pk" PRIMARY KEY("dispute_id","name")
);
--> statement-breakpoint
CREATE TABLE "delivery_attempts" (
	"outbox_id" bigint NOT NULL,
	"attempt" integer NOT NULL,
	"at" text NOT NULL,
	"ok" boolean NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	CONSTRAINT "delivery_attempts_outbox_id_attempt_pk" PRIMARY KEY("outbox_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "dispute_events" (
	"dispute_id" text NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"actor_role" text NOT NULL,
	"actor_id" text NOT NULL,
	"payload" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"at" text NOT NULL,
	"recorded_at" text NOT NULL,
	"idempotency_key" text,
	CONSTRAINT "dispute_events_dispute_id_seq_pk" PRIMARY KEY("dispute_id","seq")
);
--> statement-breakpoint
CREATE TABLE "dispute_inputs" (
	"dispute_id" text PRIMARY KEY NOT NULL,
	"input" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"item_id" text NOT NULL,
	"buyer_id" text NOT NULL,
	"seller_id" text NOT NULL,
	"machine_id" text NOT NULL,
	"machine_version" integer NOT NULL,
	"state" text NOT NULL,
	"stage" text DEFAULT '' NOT NULL,
	"awaiting" text DEFAULT '' NOT NULL,
	"awaits_agent" boolean DEFAULT false NOT NULL,
	"agent_visible" boolean DEFAULT false NOT NULL,
	"needs_attention" boolean DEFAULT false NOT NULL,
	"overdue_at" text,
	"decision_due_at" text,
	"return_tracking" text,
	"ended" boolean NOT NULL,
	"snapshot" text NOT NULL,
	"version" integer NOT NULL,
	"opened_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence" (
	"id" text PRIMARY KEY NOT NULL,
	"dispute_id" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"media_type" text NOT NULL,
	"kind" text NOT NULL,
	"uploader_role" text NOT NULL,
	"uploader_id" text NOT NULL,
	"uploaded_at" text NOT NULL,
	"display_name" text,
	"storage_key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"caller" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer NOT NULL,
	"dispute_id" text NOT NULL,
	"version" integer NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "idempotency_keys_caller_key_pk" PRIMARY KEY("caller","key")
);
--> statement-breakpoint
CREATE TABLE "order_items" (
	"order_id" text NOT NULL,
	"item_id" text NOT NULL,
	"price" bigint NOT NULL,
	"shipping_cost" bigint NOT NULL,
	"digital" boolean NOT NULL,
	"free_return" boolean NOT NULL,
	"shipped_at" text,
	"delivery_window_ends_at" text NOT NULL,
	"delivered_at" text,
	"updated_at" text NOT NULL,
	CONSTRAINT "order_items_order_id_item_id_pk" PRIMARY KEY("order_id","item_id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"order_id" text PRIMARY KEY NOT NULL,
	"buyer_id" text NOT NULL,
	"seller_id" text NOT NULL,
	"currency" text NOT NULL,
	"payment_method" text NOT NULL,
	"payment_instrument" text,
	"completed_at" text,
	"receipt_confirmed_at" text,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dispute_id" text NOT NULL,
	"seq" integer NOT NULL,
	"channel" text DEFAULT 'payments' NOT NULL,
	"kind" text NOT NULL,
	"delivery_id" text NOT NULL,
	"payload" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" text NOT NULL,
	"last_error" text,
	"created_at" text NOT NULL,
	"done_at" text
);
--> statement-breakpoint
CREATE TABLE "readiness" (
	"id" integer PRIMARY KEY NOT NULL,
	"checked_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_dispute_id_disputes_id_fk" FOREIGN KEY ("dispute_id") REFERENCES "disputes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_events" ADD CONSTRAINT "dispute_events_dispute_id_disputes_id_fk" FOREIGN KEY ("dispute_id") REFERENCES "disputes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_inputs" ADD CONSTRAINT "dispute_inputs_dispute_id_disputes_id_fk" FOREIGN KEY ("dispute_id") REFERENCES "disputes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_orders_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "orders"("order_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deadlines_due" ON "deadlines" USING btree ("due_at","priority");--> statement-breakpoint
CREATE UNIQUE INDEX "disputes_order_item" ON "disputes" USING btree ("order_id","item_id");--> statement-breakpoint
CREATE INDEX "disputes_opened" ON "disputes" USING btree ("opened_at","id");--> statement-breakpoint
CREATE INDEX "disputes_buyer" ON "disputes" USING btree ("buyer_id","opened_at","id");--> statement-breakpoint
CREATE INDEX "disputes_seller" ON "disputes" USING btree ("seller_id","opened_at","id");--> statement-breakpoint
CREATE INDEX "disputes_stage" ON "disputes" USING btree ("stage","opened_at","id");--> statement-breakpoint
CREATE INDEX "disputes_agent_visible" ON "disputes" USING btree ("opened_at","id") WHERE agent_visible;--> statement-breakpoint
CREATE INDEX "disputes_agent_queue" ON "disputes" USING btree ("decision_due_at","opened_at","id") WHERE awaits_agent;--> statement-breakpoint
CREATE INDEX "disputes_overdue" ON "disputes" USING btree ("overdue_at") WHERE overdue_at is not null;--> statement-breakpoint
CREATE INDEX "disputes_return_tracking" ON "disputes" USING btree ("return_tracking") WHERE return_tracking is not null;--> statement-breakpoint
CREATE INDEX "evidence_dispute" ON "evidence" USING btree ("dispute_id","uploaded_at");--> statement-breakpoint
CREATE INDEX "evidence_sha256" ON "evidence" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "idempotency_created" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbox_pending" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_dispute" ON "outbox" USING btree ("dispute_id","channel","id");