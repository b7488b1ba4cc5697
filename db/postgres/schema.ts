/**
 * The PostgreSQL tables: the same as SQLite's (db/schema.ts), in PostgreSQL's types. Instants are
 * canonical ISO 8601 UTC text here too, so both stores sort and compare them alike; JSON
 * documents are text, written and read whole. Claims (`claimed_until`) let several instances
 * share deadlines and effects: a claim is a lease, taken over when it runs out. Migrations are
 * generated from this file (`npm run db:generate:pg`) into db/postgres/migrations.
 */
import { sql } from 'drizzle-orm';
import { bigserial, bigint, boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

export const orders = pgTable(
  'orders',
  {
    orderId: text('order_id').primaryKey(),
    buyerId: text('buyer_id').notNull(),
    sellerId: text('seller_id').notNull(),
    currency: text('currency').notNull(),
    paymentMethod: text('payment_method').notNull(),
    paymentInstrument: text('payment_instrument'),
    completedAt: text('completed_at'),
    receiptConfirmedAt: text('receipt_confirmed_at'),
    updatedAt: text('updated_at').notNull(),
  },
  // The buyer's items to choose from when opening (GET /orders/disputable).
  (t) => [index('orders_buyer').on(t.buyerId, t.orderId)],
);

export const orderItems = pgTable(
  'order_items',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.orderId),
    itemId: text('item_id').notNull(),
    price: bigint('price', { mode: 'number' }).notNull(),
    shippingCost: bigint('shipping_cost', { mode: 'number' }).notNull(),
    digital: boolean('digital').notNull(),
    freeReturn: boolean('free_return').notNull(),
    shippedAt: text('shipped_at'),
    deliveryWindowEndsAt: text('delivery_window_ends_at').notNull(),
    deliveredAt: text('delivered_at'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.itemId] })],
);

export const disputes = pgTable(
  'disputes',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    itemId: text('item_id').notNull(),
    buyerId: text('buyer_id').notNull(),
    sellerId: text('seller_id').notNull(),
    machineId: text('machine_id').notNull(),
    machineVersion: integer('machine_version').notNull(),
    state: text('state').notNull(),
    stage: text('stage').notNull().default(''),
    awaiting: text('awaiting').notNull().default(''),
    awaitsAgent: boolean('awaits_agent').notNull().default(false),
    agentVisible: boolean('agent_visible').notNull().default(false),
    needsAttention: boolean('needs_attention').notNull().default(false),
    overdueAt: text('overdue_at'),
    decisionDueAt: text('decision_due_at'),
    returnTracking: text('return_tracking'),
    ended: boolean('ended').notNull(),
    snapshot: text('snapshot').notNull(),
    version: integer('version').notNull(),
    openedAt: text('opened_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('disputes_order_item').on(t.orderId, t.itemId),
    index('disputes_opened').on(t.openedAt, t.id),
    index('disputes_buyer').on(t.buyerId, t.openedAt, t.id),
    index('disputes_seller').on(t.sellerId, t.openedAt, t.id),
    index('disputes_stage').on(t.stage, t.openedAt, t.id),
    index('disputes_agent_visible')
      .on(t.openedAt, t.id)
      .where(sql`agent_visible`),
    index('disputes_agent_queue')
      .on(t.decisionDueAt, t.openedAt, t.id)
      .where(sql`awaits_agent`),
    index('disputes_overdue')
      .on(t.overdueAt)
      .where(sql`overdue_at is not null`),
    index('disputes_return_tracking')
      .on(t.returnTracking)
      .where(sql`return_tracking is not null`),
  ],
);

export const disputeInputs = pgTable('dispute_inputs', {
  disputeId: text('dispute_id')
    .primaryKey()
    .references(() => disputes.id),
  input: text('input').notNull(),
});

export const disputeEvents = pgTable(
  'dispute_events',
  {
    disputeId: text('dispute_id')
      .notNull()
      .references(() => disputes.id),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    actorRole: text('actor_role').notNull(),
    actorId: text('actor_id').notNull(),
    payload: text('payload').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    at: text('at').notNull(),
    recordedAt: text('recorded_at').notNull(),
    idempotencyKey: text('idempotency_key'),
  },
  (t) => [primaryKey({ columns: [t.disputeId, t.seq] })],
);

export const deadlines = pgTable(
  'deadlines',
  {
    disputeId: text('dispute_id')
      .notNull()
      .references(() => disputes.id),
    name: text('name').notNull(),
    eventType: text('event_type').notNull(),
    dueAt: text('due_at').notNull(),
    priority: integer('priority').notNull(),
    /** An instance firing it holds it until then; after that another may take it over. */
    claimedUntil: text('claimed_until'),
  },
  (t) => [primaryKey({ columns: [t.disputeId, t.name] }), index('deadlines_due').on(t.dueAt, t.priority)],
);

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    disputeId: text('dispute_id').notNull(),
    seq: integer('seq').notNull(),
    channel: text('channel').notNull().default('payments'),
    kind: text('kind').notNull(),
    deliveryId: text('delivery_id').notNull(),
    payload: text('payload').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    doneAt: text('done_at'),
  },
  (t) => [index('outbox_pending').on(t.status, t.nextAttemptAt), index('outbox_dispute').on(t.disputeId, t.channel, t.id)],
);

export const deliveryAttempts = pgTable(
  'delivery_attempts',
  {
    outboxId: bigint('outbox_id', { mode: 'number' }).notNull(),
    attempt: integer('attempt').notNull(),
    at: text('at').notNull(),
    ok: boolean('ok').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.outboxId, t.attempt] })],
);

export const evidence = pgTable(
  'evidence',
  {
    id: text('id').primaryKey(),
    disputeId: text('dispute_id').notNull(),
    sha256: text('sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    mediaType: text('media_type').notNull(),
    kind: text('kind').notNull(),
    uploaderRole: text('uploader_role').notNull(),
    uploaderId: text('uploader_id').notNull(),
    uploadedAt: text('uploaded_at').notNull(),
    displayName: text('display_name'),
    storageKey: text('storage_key').notNull(),
  },
  (t) => [index('evidence_dispute').on(t.disputeId, t.uploadedAt), index('evidence_sha256').on(t.sha256)],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    caller: text('caller').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code').notNull(),
    disputeId: text('dispute_id').notNull(),
    version: integer('version').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caller, t.key] }), index('idempotency_created').on(t.createdAt)],
);

export const clockState = pgTable('clock_state', {
  id: integer('id').primaryKey(),
  offsetMs: bigint('offset_ms', { mode: 'number' }).notNull().default(0),
  updatedAt: text('updated_at').notNull(),
});

export const readiness = pgTable('readiness', {
  id: integer('id').primaryKey(),
  checkedAt: text('checked_at').notNull(),
});

/** Inspector sessions and one-time sign-in codes, by the sha256 of their secret (as SQLite's). */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    kind: text('kind').notNull(),
    role: text('role').notNull(),
    sub: text('sub').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    revokedAt: text('revoked_at'),
  },
  (t) => [index('sessions_expires').on(t.expiresAt)],
);
