/**
 * The one source of truth for Arbiter's tables. Instants are canonical ISO 8601 UTC text
 * (`2026-11-14T10:00:00.000Z`), which sorts like time; money is integer minor units.
 * Migrations are generated from this file by drizzle-kit (`npm run db:generate`) and applied at
 * start-up.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Order-level facts (R-GEN-3), registered by the marketplace. */
export const orders = sqliteTable(
  'orders',
  {
    orderId: text('order_id').primaryKey(),
    buyerId: text('buyer_id').notNull(),
    sellerId: text('seller_id').notNull(),
    currency: text('currency').notNull(),
    paymentMethod: text('payment_method').notNull(),
    /** The instrument at the payment provider (R-REF-1), e.g. a card token. */
    paymentInstrument: text('payment_instrument'),
    completedAt: text('completed_at'),
    receiptConfirmedAt: text('receipt_confirmed_at'),
    updatedAt: text('updated_at').notNull(),
  },
  // The buyer's items to choose from when opening (GET /orders/disputable).
  (t) => [index('orders_buyer').on(t.buyerId, t.orderId)],
);

/** Item-level facts (R-GEN-3, R-OPEN-4: one dispute per item). */
export const orderItems = sqliteTable(
  'order_items',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.orderId),
    itemId: text('item_id').notNull(),
    price: integer('price').notNull(),
    shippingCost: integer('shipping_cost').notNull(),
    digital: integer('digital', { mode: 'boolean' }).notNull(),
    freeReturn: integer('free_return', { mode: 'boolean' }).notNull(),
    shippedAt: text('shipped_at'),
    deliveryWindowEndsAt: text('delivery_window_ends_at').notNull(),
    deliveredAt: text('delivered_at'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.itemId] })],
);

/**
 * One row per dispute: its persisted snapshot, the version for optimistic concurrency, and the
 * columns lists and queues filter on, written by the step in the same transaction (never dug out
 * of the snapshot's JSON by SQL). Kept small: it is rewritten by every step.
 */
export const disputes = sqliteTable(
  'disputes',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    itemId: text('item_id').notNull(),
    buyerId: text('buyer_id').notNull(),
    sellerId: text('seller_id').notNull(),
    machineId: text('machine_id').notNull(),
    machineVersion: integer('machine_version').notNull(),
    /** Dotted label of the active leaf states, for reading. */
    state: text('state').notNull(),
    /** The lifecycle stage (the chart's stage tag); `''` until derived after an upgrade. */
    stage: text('stage').notNull().default(''),
    /** Who must act, comma-separated (`buyer`, `seller`, `agent`, `system`, `nobody`). */
    awaiting: text('awaiting').notNull().default(''),
    /** In the agent queue: an active state awaits an agent. */
    awaitsAgent: integer('awaits_agent', { mode: 'boolean' }).notNull().default(false),
    /** Agents may see it: it was escalated, decided, or waits for an agent. */
    agentVisible: integer('agent_visible', { mode: 'boolean' }).notNull().default(false),
    needsAttention: integer('needs_attention', { mode: 'boolean' }).notNull().default(false),
    /** When a service level (decision, refund settlement) is or was due; overdue once past. */
    overdueAt: text('overdue_at'),
    /** When an agent's decision is due (the queue's order). */
    decisionDueAt: text('decision_due_at'),
    /** The tracking number of the return in transit (R-RET-2 carrier callbacks). */
    returnTracking: text('return_tracking'),
    ended: integer('ended', { mode: 'boolean' }).notNull(),
    /** The XState persisted snapshot, JSON, without the order facts and policy (in dispute_inputs). */
    snapshot: text('snapshot').notNull(),
    /** Equals the sequence number of the last history row: `If-Match` compares against it. */
    version: integer('version').notNull(),
    openedAt: text('opened_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    // R-OPEN-3: one dispute per order item, ever.
    uniqueIndex('disputes_order_item').on(t.orderId, t.itemId),
    // Lists page by (opened_at, id), alone or after one equality filter.
    index('disputes_opened').on(t.openedAt, t.id),
    index('disputes_buyer').on(t.buyerId, t.openedAt, t.id),
    index('disputes_seller').on(t.sellerId, t.openedAt, t.id),
    index('disputes_stage').on(t.stage, t.openedAt, t.id),
    index('disputes_agent_visible')
      .on(t.openedAt, t.id)
      .where(sql`agent_visible = 1`),
    index('disputes_agent_queue')
      .on(t.decisionDueAt, t.openedAt, t.id)
      .where(sql`awaits_agent = 1`),
    index('disputes_overdue')
      .on(t.overdueAt)
      .where(sql`overdue_at is not null`),
    index('disputes_return_tracking')
      .on(t.returnTracking)
      .where(sql`return_tracking is not null`),
  ],
);

/**
 * What a dispute started from (order facts, request, policy, opening instant), JSON, written
 * once when it opens: replay starts here, and the snapshot row does not carry it.
 */
export const disputeInputs = sqliteTable('dispute_inputs', {
  disputeId: text('dispute_id')
    .primaryKey()
    .references(() => disputes.id),
  input: text('input').notNull(),
});

/** The append-only history: every event applied, in order, with who sent it. */
export const disputeEvents = sqliteTable(
  'dispute_events',
  {
    disputeId: text('dispute_id')
      .notNull()
      .references(() => disputes.id),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    actorRole: text('actor_role').notNull(),
    actorId: text('actor_id').notNull(),
    /** The event's payload (without type, at, by), JSON. */
    payload: text('payload').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    at: text('at').notNull(),
    recordedAt: text('recorded_at').notNull(),
    idempotencyKey: text('idempotency_key'),
  },
  (t) => [primaryKey({ columns: [t.disputeId, t.seq] })],
);

/** Armed deadlines, mirrored from each dispute's context; the scheduler reads them by due time. */
export const deadlines = sqliteTable(
  'deadlines',
  {
    disputeId: text('dispute_id')
      .notNull()
      .references(() => disputes.id),
    name: text('name').notNull(),
    eventType: text('event_type').notNull(),
    dueAt: text('due_at').notNull(),
    priority: integer('priority').notNull(),
  },
  (t) => [primaryKey({ columns: [t.disputeId, t.name] }), index('deadlines_due').on(t.dueAt, t.priority)],
);

/**
 * Effects to carry out after commit (refunds, releases, webhook deliveries), written in the
 * step's transaction. Order is kept per (dispute, channel); a row failing `maxAttempts` times
 * turns `dead` until an admin re-drives it.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    disputeId: text('dispute_id').notNull(),
    seq: integer('seq').notNull(),
    /** `payments`, or `webhook:<subscriber id>`: order is kept within a dispute's channel. */
    channel: text('channel').notNull().default('payments'),
    kind: text('kind').notNull(),
    /** Stable across retries: receivers drop duplicates by it. */
    deliveryId: text('delivery_id').notNull().default(''),
    payload: text('payload').notNull(),
    status: text('status', { enum: ['pending', 'done', 'dead'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    doneAt: text('done_at'),
  },
  (t) => [index('outbox_pending').on(t.status, t.nextAttemptAt), index('outbox_dispute').on(t.disputeId, t.channel, t.id)],
);

/** Every attempt to carry out an outbox row: the delivery log. */
export const deliveryAttempts = sqliteTable(
  'delivery_attempts',
  {
    outboxId: integer('outbox_id').notNull(),
    attempt: integer('attempt').notNull(),
    at: text('at').notNull(),
    ok: integer('ok', { mode: 'boolean' }).notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.outboxId, t.attempt] })],
);

/**
 * Evidence files (R-EVID-*): immutable metadata here, bytes in the evidence storage under
 * `storageKey`. Whether a file is hidden is the dispute's business (`hiddenEvidenceIds`).
 */
export const evidence = sqliteTable(
  'evidence',
  {
    id: text('id').primaryKey(),
    disputeId: text('dispute_id').notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    mediaType: text('media_type').notNull(),
    kind: text('kind', { enum: ['image', 'video'] }).notNull(),
    uploaderRole: text('uploader_role').notNull(),
    uploaderId: text('uploader_id').notNull(),
    uploadedAt: text('uploaded_at').notNull(),
    /** The client's file name, for display only: never used to store or find the bytes. */
    displayName: text('display_name'),
    storageKey: text('storage_key').notNull(),
  },
  (t) => [index('evidence_dispute').on(t.disputeId, t.uploadedAt), index('evidence_sha256').on(t.sha256)],
);

/**
 * A repeated write with the same (caller, key) answers again and changes nothing. What the
 * repeat needs is kept (status, dispute, version), not the first response: it is re-rendered.
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    caller: text('caller').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code').notNull(),
    disputeId: text('dispute_id').notNull().default(''),
    /** The version the first request created. */
    version: integer('version').notNull().default(0),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caller, t.key] }), index('idempotency_created').on(t.createdAt)],
);

/** The controllable clock's offset (demo and tests); it only ever grows. */
export const clockState = sqliteTable('clock_state', {
  id: integer('id').primaryKey(),
  offsetMs: integer('offset_ms').notNull().default(0),
  updatedAt: text('updated_at')
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
});

/** One row rewritten by `/readyz`: the database accepts a write and the disk has room. */
export const readiness = sqliteTable('readiness', {
  id: integer('id').primaryKey(),
  checkedAt: text('checked_at').notNull(),
});

/**
 * Inspector sessions and one-time sign-in codes, kept by the sha256 of their secret (a copy of
 * the database signs nobody in). A code is used up (`revoked_at`) when it becomes a session; a
 * session ends at `expires_at` or when its holder signs out.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    kind: text('kind', { enum: ['session', 'code'] }).notNull(),
    role: text('role').notNull(),
    sub: text('sub').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    revokedAt: text('revoked_at'),
  },
  (t) => [index('sessions_expires').on(t.expiresAt)],
);
