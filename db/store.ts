import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { DisputeInput, OrderItemFacts } from '../machines/index.ts';
import { clockState, deadlines, deliveryAttempts, disputeEvents, disputes, evidence as evidenceTable, idempotencyKeys, orderItems, orders, outbox } from './schema.ts';
import { openDatabase, type Db, type OpenOptions } from './sqlite.ts';

/**
 * The store: a small contract, async at its boundary so a PostgreSQL store can implement it,
 * that commits a batch of steps in one transaction. The SQLite implementation runs each
 * transaction synchronously inside (better-sqlite3), with every hot statement prepared once.
 */
export interface DisputeRecord {
  id: string;
  orderId: string;
  itemId: string;
  buyerId: string;
  sellerId: string;
  machineId: string;
  machineVersion: number;
  state: string;
  ended: boolean;
  /** The XState persisted snapshot. */
  snapshot: unknown;
  input: DisputeInput;
  version: number;
  openedAt: string;
  updatedAt: string;
}

export interface HistoryRow {
  seq: number;
  type: string;
  actorRole: string;
  actorId: string;
  payload: Record<string, unknown>;
  fromState: string | null;
  toState: string;
  at: string;
  recordedAt: string;
  idempotencyKey: string | null;
}

export interface DeadlineRow {
  name: string;
  eventType: string;
  dueAt: string;
  priority: number;
}

export interface DueDeadline extends DeadlineRow {
  disputeId: string;
}

export interface OutboxEntry {
  seq: number;
  kind: string;
  payload: Record<string, unknown>;
  /** `payments` (default) or `webhook:<subscriber id>`. */
  channel?: string;
  /** Stable across retries (the provider's idempotency key, the webhook's delivery id). */
  deliveryId?: string;
}

export interface OutboxRow {
  id: number;
  disputeId: string;
  seq: number;
  channel: string;
  kind: string;
  deliveryId: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'done' | 'dead';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface IdempotencyRecord {
  caller: string;
  key: string;
  requestHash: string;
  statusCode: number;
  response: unknown;
  createdAt: string;
}

export interface EvidenceRecord {
  id: string;
  disputeId: string;
  sha256: string;
  size: number;
  mediaType: string;
  kind: 'image' | 'video';
  uploaderRole: string;
  uploaderId: string;
  uploadedAt: string;
  displayName: string | null;
  storageKey: string;
}

/** Everything one step writes, computed purely beforehand; committed all or nothing. */
export interface StepCommit {
  disputeId: string;
  /** The version the step was computed from; 0 when the step opens the dispute. */
  expectedVersion: number;
  /** Present when the step opens the dispute. */
  create?: { orderId: string; itemId: string; buyerId: string; sellerId: string; input: DisputeInput; openedAt: string };
  machineId: string;
  machineVersion: number;
  version: number;
  state: string;
  ended: boolean;
  snapshot: unknown;
  updatedAt: string;
  history: HistoryRow[];
  armDeadlines: DeadlineRow[];
  disarmDeadlines: string[];
  outbox: OutboxEntry[];
  idempotency?: Omit<IdempotencyRecord, 'createdAt'>;
  /** Evidence metadata recorded by this step (its bytes are stored before the commit). */
  evidence?: EvidenceRecord[];
}

/**
 * `conflict`: another writer moved the dispute first (reload and recompute, or answer 412).
 * `duplicate`: the order item already has a dispute (R-OPEN-3).
 * `idempotency_key_taken`: a concurrent request with the same key committed first.
 */
export type CommitOutcome = { ok: true } | { ok: false; reason: 'conflict' | 'duplicate' | 'idempotency_key_taken' };

export interface OrderRegistration {
  orderId: string;
  buyerId: string;
  sellerId: string;
  currency: string;
  paymentMethod: string;
  paymentInstrument?: string | null;
  completedAt: string | null;
  receiptConfirmedAt: string | null;
  items: {
    itemId: string;
    price: number;
    shippingCost: number;
    digital: boolean;
    freeReturn: boolean;
    shippedAt: string | null;
    deliveryWindowEndsAt: string;
    deliveredAt: string | null;
  }[];
}

export interface DisputeFilter {
  buyerId?: string | undefined;
  sellerId?: string | undefined;
  orderId?: string | undefined;
  /** Matches the state label from its start, e.g. `escalated` or `negotiating.offerPending`. */
  statePrefix?: string | undefined;
  ended?: boolean | undefined;
  after?: { openedAt: string; id: string } | undefined;
  limit: number;
}

export interface DisputeStore {
  getDispute(id: string): Promise<DisputeRecord | undefined>;
  findDisputeByItem(orderId: string, itemId: string): Promise<DisputeRecord | undefined>;
  listDisputeIds(): Promise<string[]>;
  /** Disputes matching the filters, oldest first, after the cursor (`openedAt`, `id`). */
  listDisputes(filter: DisputeFilter): Promise<DisputeRecord[]>;
  /** Escalated and appealed disputes, the earliest decision due first (overdue ones before all). */
  agentQueue(limit: number): Promise<(DisputeRecord & { decisionDueAt: string | null })[]>;
  getHistory(disputeId: string): Promise<HistoryRow[]>;
  /** Commits each step in its own savepoint inside one transaction (one fsync for the batch). */
  commit(steps: StepCommit[]): Promise<CommitOutcome[]>;
  /** Deadlines due at or before `at`, earliest first, then by priority (R-GEN-4). */
  dueDeadlines(at: string, limit: number): Promise<DueDeadline[]>;
  /** The earliest due time, or the earliest after `after` when given. */
  nextDeadlineAt(after?: string): Promise<string | undefined>;
  getDeadlines(disputeId: string): Promise<DeadlineRow[]>;
  /** Removes deadline rows no longer armed in their dispute (a stale row is never fired). */
  discardDeadlines(disputeId: string, names: string[]): Promise<void>;
  getOutbox(disputeId: string): Promise<OutboxRow[]>;
  /** The next pending row of each (dispute, channel) that is due: order is kept per channel. */
  outboxHeads(now: string, limit: number): Promise<OutboxRow[]>;
  /** Records one attempt and the row's new status, together. */
  recordAttempt(id: number, attempt: DeliveryAttempt, next: { status: 'pending' | 'done' | 'dead'; nextAttemptAt: string; error: string | null }): Promise<void>;
  listOutbox(filter: { status?: 'pending' | 'done' | 'dead' | undefined; disputeId?: string | undefined; limit: number }): Promise<OutboxRow[]>;
  getOutboxRow(id: number): Promise<OutboxRow | undefined>;
  deliveryAttempts(outboxId: number): Promise<DeliveryAttempt[]>;
  /** A dead row goes back to pending, attempts reset; false when the row is not dead. */
  redrive(id: number, now: string): Promise<boolean>;
  findIdempotent(caller: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Forgets idempotency keys created before `before`; returns how many. */
  purgeIdempotency(before: string): Promise<number>;
  registerOrder(order: OrderRegistration, at: string): Promise<void>;
  getOrderItemFacts(orderId: string, itemId: string): Promise<OrderItemFacts | undefined>;
  /** Queue depths for metrics, read at scrape time. */
  stats(now: string): Promise<{ disputesOpen: number; agentQueue: number; deadlinesDue: number; outboxPending: number }>;
  listEvidence(disputeId: string): Promise<EvidenceRecord[]>;
  getEvidence(disputeId: string, evidenceId: string): Promise<EvidenceRecord | undefined>;
  /** The dispute whose return travels under this tracking number (R-RET-2 carrier callbacks). */
  findDisputeByReturnTracking(trackingNumber: string): Promise<DisputeRecord | undefined>;
  getClockOffset(): Promise<number>;
  setClockOffset(offsetMs: number): Promise<void>;
  close(): Promise<void>;
}

class VersionConflict extends Error {}

const json = (value: unknown) => JSON.stringify(value);

function toOutboxRow(row: typeof outbox.$inferSelect): OutboxRow {
  return { ...row, payload: JSON.parse(row.payload) as Record<string, unknown> };
}

/** A raw `select *` row (snake_case) in drizzle's shape. */
function mapRawOutbox(r: Record<string, unknown>): typeof outbox.$inferSelect {
  return {
    id: r.id as number,
    disputeId: r.dispute_id as string,
    seq: r.seq as number,
    channel: r.channel as string,
    kind: r.kind as string,
    deliveryId: r.delivery_id as string,
    payload: r.payload as string,
    status: r.status as 'pending' | 'done' | 'dead',
    attempts: r.attempts as number,
    nextAttemptAt: r.next_attempt_at as string,
    lastError: r.last_error as string | null,
    createdAt: r.created_at as string,
    doneAt: r.done_at as string | null,
  };
}

function isUniqueViolation(error: unknown, table: string): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') &&
    error.message.includes(table)
  );
}

/** The SQLite store. `openSqliteStore({ path: 'data/arbiter.db' })`. */
export function openSqliteStore(options: OpenOptions): DisputeStore {
  return createSqliteStore(openDatabase(options));
}

/** The scheduler's query: due deadlines by the `deadlines_due` index (exported for its plan's test). */
export function dueDeadlinesQuery(db: Db) {
  return db
    .select()
    .from(deadlines)
    .where(lte(deadlines.dueAt, sql.placeholder('at')))
    .orderBy(asc(deadlines.dueAt), asc(deadlines.priority))
    .limit(sql.placeholder('limit'));
}

export function createSqliteStore(db: Db): DisputeStore {
  const p = sql.placeholder;
  const selectDispute = db.select().from(disputes).where(eq(disputes.id, p('id'))).prepare();
  const selectDisputeByItem = db
    .select()
    .from(disputes)
    .where(and(eq(disputes.orderId, p('orderId')), eq(disputes.itemId, p('itemId'))))
    .prepare();
  const insertDispute = db
    .insert(disputes)
    .values({
      id: p('id'),
      orderId: p('orderId'),
      itemId: p('itemId'),
      buyerId: p('buyerId'),
      sellerId: p('sellerId'),
      machineId: p('machineId'),
      machineVersion: p('machineVersion'),
      state: p('state'),
      ended: p('ended'),
      snapshot: p('snapshot'),
      input: p('input'),
      version: p('version'),
      openedAt: p('openedAt'),
      updatedAt: p('updatedAt'),
    })
    .prepare();
  const updateDispute = db
    .update(disputes)
    .set({
      machineVersion: p('machineVersion'),
      state: p('state'),
      ended: p('ended'),
      snapshot: p('snapshot'),
      version: p('version'),
      updatedAt: p('updatedAt'),
    } as never)
    .where(and(eq(disputes.id, p('id')), eq(disputes.version, p('expectedVersion'))))
    .prepare();
  const insertEvent = db
    .insert(disputeEvents)
    .values({
      disputeId: p('disputeId'),
      seq: p('seq'),
      type: p('type'),
      actorRole: p('actorRole'),
      actorId: p('actorId'),
      payload: p('payload'),
      fromState: p('fromState'),
      toState: p('toState'),
      at: p('at'),
      recordedAt: p('recordedAt'),
      idempotencyKey: p('idempotencyKey'),
    })
    .prepare();
  const upsertDeadline = db
    .insert(deadlines)
    .values({ disputeId: p('disputeId'), name: p('name'), eventType: p('eventType'), dueAt: p('dueAt'), priority: p('priority') })
    .onConflictDoUpdate({
      target: [deadlines.disputeId, deadlines.name],
      set: { eventType: sql`excluded.event_type`, dueAt: sql`excluded.due_at`, priority: sql`excluded.priority` },
    })
    .prepare();
  const deleteDeadline = db
    .delete(deadlines)
    .where(and(eq(deadlines.disputeId, p('disputeId')), eq(deadlines.name, p('name'))))
    .prepare();
  const insertOutbox = db
    .insert(outbox)
    .values({
      disputeId: p('disputeId'),
      seq: p('seq'),
      channel: p('channel'),
      kind: p('kind'),
      deliveryId: p('deliveryId'),
      payload: p('payload'),
      nextAttemptAt: p('nextAttemptAt'),
      createdAt: p('createdAt'),
    })
    .prepare();
  const insertIdempotency = db
    .insert(idempotencyKeys)
    .values({
      caller: p('caller'),
      key: p('key'),
      requestHash: p('requestHash'),
      statusCode: p('statusCode'),
      response: p('response'),
      createdAt: p('createdAt'),
    })
    .prepare();
  const selectIdempotency = db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.caller, p('caller')), eq(idempotencyKeys.key, p('key'))))
    .prepare();
  const selectDue = dueDeadlinesQuery(db).prepare();
  const selectNextDue = db.select({ dueAt: deadlines.dueAt }).from(deadlines).orderBy(asc(deadlines.dueAt)).limit(1).prepare();
  const selectNextDueAfter = db.$client.prepare('select min(due_at) as at from deadlines where due_at > ?');
  const selectHistory = db
    .select()
    .from(disputeEvents)
    .where(eq(disputeEvents.disputeId, p('disputeId')))
    .orderBy(asc(disputeEvents.seq))
    .prepare();

  const toRecord = (row: typeof disputes.$inferSelect): DisputeRecord => ({
    ...row,
    snapshot: JSON.parse(row.snapshot),
    input: JSON.parse(row.input) as DisputeInput,
  });

  // Head of line per (dispute, channel): a later row waits while an earlier one is pending.
  const selectHeads = db.$client.prepare(
    `select * from outbox o where o.status = 'pending' and o.next_attempt_at <= ?
       and not exists (select 1 from outbox e where e.dispute_id = o.dispute_id and e.channel = o.channel and e.status = 'pending' and e.id < o.id)
     order by o.id limit ?`,
  );
  // Log numbers keep growing across re-drives; `outbox.attempts` counts since the last one.
  const insertAttempt = db.$client.prepare(
    `insert into delivery_attempts (outbox_id, attempt, at, ok, status_code, error, duration_ms)
     values (@outboxId, (select coalesce(max(attempt), 0) + 1 from delivery_attempts where outbox_id = @outboxId), @at, @ok, @statusCode, @error, @durationMs)`,
  );
  const recordAttemptTx = db.$client.transaction(
    (id: number, attempt: DeliveryAttempt, next: { status: 'pending' | 'done' | 'dead'; nextAttemptAt: string; error: string | null }) => {
      insertAttempt.run({ outboxId: id, at: attempt.at, ok: attempt.ok ? 1 : 0, statusCode: attempt.statusCode, error: attempt.error, durationMs: attempt.durationMs });
      db.update(outbox)
        .set({ status: next.status, attempts: attempt.attempt, nextAttemptAt: next.nextAttemptAt, lastError: next.error, doneAt: next.status === 'done' ? attempt.at : null })
        .where(eq(outbox.id, id))
        .run();
    },
  );

  /** One step, all or nothing (a savepoint when inside the batch's transaction). */
  const commitOne = db.$client.transaction((step: StepCommit) => {
    if (step.idempotency) {
      insertIdempotency.run({
        ...step.idempotency,
        response: json(step.idempotency.response),
        createdAt: step.updatedAt,
      });
    }
    const row = {
      id: step.disputeId,
      machineId: step.machineId,
      machineVersion: step.machineVersion,
      state: step.state,
      ended: step.ended,
      snapshot: json(step.snapshot),
      version: step.version,
      updatedAt: step.updatedAt,
    };
    if (step.create) {
      insertDispute.run({ ...row, ...step.create, input: json(step.create.input) });
    } else {
      const result = updateDispute.run({ ...row, expectedVersion: step.expectedVersion });
      if (result.changes !== 1) throw new VersionConflict();
    }
    for (const h of step.history) {
      insertEvent.run({ ...h, disputeId: step.disputeId, payload: json(h.payload) });
    }
    for (const name of step.disarmDeadlines) deleteDeadline.run({ disputeId: step.disputeId, name });
    for (const d of step.armDeadlines) upsertDeadline.run({ ...d, disputeId: step.disputeId });
    for (const file of step.evidence ?? []) db.insert(evidenceTable).values(file).run();
    for (const effect of step.outbox) {
      insertOutbox.run({
        disputeId: step.disputeId,
        seq: effect.seq,
        channel: effect.channel ?? 'payments',
        deliveryId: effect.deliveryId ?? `${step.disputeId}:${effect.seq}:${effect.kind}`,
        kind: effect.kind,
        payload: json(effect.payload),
        nextAttemptAt: step.updatedAt,
        createdAt: step.updatedAt,
      });
    }
  });

  const commitBatch = db.$client.transaction((steps: StepCommit[]): CommitOutcome[] =>
    steps.map((step) => {
      try {
        commitOne(step);
        return { ok: true };
      } catch (error) {
        if (error instanceof VersionConflict) return { ok: false, reason: 'conflict' };
        if (isUniqueViolation(error, 'idempotency_keys')) return { ok: false, reason: 'idempotency_key_taken' };
        if (isUniqueViolation(error, 'disputes.order_id')) return { ok: false, reason: 'duplicate' };
        if (isUniqueViolation(error, 'disputes.id') || isUniqueViolation(error, 'dispute_events')) {
          return { ok: false, reason: 'conflict' };
        }
        throw error;
      }
    }),
  );

  const registerOrderTx = db.$client.transaction((order: OrderRegistration, at: string) => {
    const { items, ...facts } = order;
    db.insert(orders)
      .values({ ...facts, updatedAt: at })
      .onConflictDoUpdate({ target: orders.orderId, set: { ...facts, updatedAt: at } })
      .run();
    for (const item of items) {
      db.insert(orderItems)
        .values({ ...item, orderId: order.orderId, updatedAt: at })
        .onConflictDoUpdate({ target: [orderItems.orderId, orderItems.itemId], set: { ...item, updatedAt: at } })
        .run();
    }
  });

  return {
    async getDispute(id) {
      const row = selectDispute.get({ id });
      return row && toRecord(row);
    },
    async findDisputeByItem(orderId, itemId) {
      const row = selectDisputeByItem.get({ orderId, itemId });
      return row && toRecord(row);
    },
    async listDisputeIds() {
      return db.select({ id: disputes.id }).from(disputes).orderBy(asc(disputes.openedAt)).all().map((r) => r.id);
    },
    async listDisputes(filter) {
      const conditions = [
        filter.buyerId !== undefined ? eq(disputes.buyerId, filter.buyerId) : undefined,
        filter.sellerId !== undefined ? eq(disputes.sellerId, filter.sellerId) : undefined,
        filter.orderId !== undefined ? eq(disputes.orderId, filter.orderId) : undefined,
        filter.ended !== undefined ? eq(disputes.ended, filter.ended) : undefined,
        filter.statePrefix !== undefined
          ? sql`(${disputes.state} = ${filter.statePrefix} or substr(${disputes.state}, 1, ${filter.statePrefix.length + 1}) = ${`${filter.statePrefix}.`})`
          : undefined,
        filter.after ? sql`(${disputes.openedAt}, ${disputes.id}) > (${filter.after.openedAt}, ${filter.after.id})` : undefined,
      ].filter((c) => c !== undefined);
      return db
        .select()
        .from(disputes)
        .where(and(...conditions))
        .orderBy(asc(disputes.openedAt), asc(disputes.id))
        .limit(filter.limit)
        .all()
        .map(toRecord);
    },
    async agentQueue(limit) {
      const rows = db
        .select({ dispute: disputes, decisionDueAt: deadlines.dueAt })
        .from(disputes)
        .leftJoin(deadlines, and(eq(deadlines.disputeId, disputes.id), eq(deadlines.name, 'decisionDue')))
        .where(sql`(${disputes.state} like 'escalated.%' or ${disputes.state} like '%resolving.decision.appealed%')`)
        .orderBy(sql`coalesce(${deadlines.dueAt}, '')`, asc(disputes.openedAt))
        .limit(limit)
        .all();
      return rows.map((r) => ({ ...toRecord(r.dispute), decisionDueAt: r.decisionDueAt }));
    },
    async getHistory(disputeId) {
      return selectHistory.all({ disputeId }).map(({ disputeId: _d, payload, ...row }) => ({ ...row, payload: JSON.parse(payload) }));
    },
    async commit(steps) {
      // IMMEDIATE takes the write lock at BEGIN, so two processes queue on busy_timeout
      // instead of failing when both try to upgrade a read lock.
      return commitBatch.immediate(steps);
    },
    async dueDeadlines(at, limit) {
      return selectDue.all({ at, limit });
    },
    async nextDeadlineAt(after) {
      if (after === undefined) return selectNextDue.get()?.dueAt;
      return (selectNextDueAfter.get(after) as { at: string | null }).at ?? undefined;
    },
    async getDeadlines(disputeId) {
      return db
        .select({ name: deadlines.name, eventType: deadlines.eventType, dueAt: deadlines.dueAt, priority: deadlines.priority })
        .from(deadlines)
        .where(eq(deadlines.disputeId, disputeId))
        .orderBy(asc(deadlines.dueAt))
        .all();
    },
    async discardDeadlines(disputeId, names) {
      for (const name of names) deleteDeadline.run({ disputeId, name });
    },
    async getOutbox(disputeId) {
      return db.select().from(outbox).where(eq(outbox.disputeId, disputeId)).orderBy(asc(outbox.id)).all().map(toOutboxRow);
    },
    async outboxHeads(now, limit) {
      return (selectHeads.all(now, limit) as Record<string, unknown>[]).map((r) => toOutboxRow(mapRawOutbox(r)));
    },
    async recordAttempt(id, attempt, next) {
      recordAttemptTx.immediate(id, attempt, next);
    },
    async listOutbox(filter) {
      const conditions = [filter.status ? eq(outbox.status, filter.status) : undefined, filter.disputeId ? eq(outbox.disputeId, filter.disputeId) : undefined].filter(
        (c) => c !== undefined,
      );
      return db.select().from(outbox).where(and(...conditions)).orderBy(asc(outbox.id)).limit(filter.limit).all().map(toOutboxRow);
    },
    async getOutboxRow(id) {
      const row = db.select().from(outbox).where(eq(outbox.id, id)).get();
      return row && toOutboxRow(row);
    },
    async deliveryAttempts(outboxId) {
      return db
        .select({
          attempt: deliveryAttempts.attempt,
          at: deliveryAttempts.at,
          ok: deliveryAttempts.ok,
          statusCode: deliveryAttempts.statusCode,
          error: deliveryAttempts.error,
          durationMs: deliveryAttempts.durationMs,
        })
        .from(deliveryAttempts)
        .where(eq(deliveryAttempts.outboxId, outboxId))
        .orderBy(asc(deliveryAttempts.attempt))
        .all();
    },
    async redrive(id, now) {
      return (
        db
          .update(outbox)
          .set({ status: 'pending', attempts: 0, nextAttemptAt: now, lastError: null })
          .where(and(eq(outbox.id, id), eq(outbox.status, 'dead')))
          .run().changes === 1
      );
    },
    async findIdempotent(caller, key) {
      const row = selectIdempotency.get({ caller, key });
      return row && { ...row, response: JSON.parse(row.response) };
    },
    async purgeIdempotency(before) {
      return db.delete(idempotencyKeys).where(lte(idempotencyKeys.createdAt, before)).run().changes;
    },
    async registerOrder(order, at) {
      registerOrderTx.immediate(order, at);
    },
    async getOrderItemFacts(orderId, itemId) {
      const row = db
        .select()
        .from(orderItems)
        .innerJoin(orders, eq(orders.orderId, orderItems.orderId))
        .where(and(eq(orderItems.orderId, orderId), eq(orderItems.itemId, itemId)))
        .get();
      if (!row) return undefined;
      const { order_items: item, orders: order } = row;
      return {
        orderId,
        itemId,
        buyerId: order.buyerId,
        sellerId: order.sellerId,
        currency: order.currency,
        paymentMethod: order.paymentMethod as OrderItemFacts['paymentMethod'],
        paymentInstrument: order.paymentInstrument,
        completedAt: order.completedAt,
        receiptConfirmedAt: order.receiptConfirmedAt,
        price: item.price,
        shippingCost: item.shippingCost,
        digital: item.digital,
        freeReturn: item.freeReturn,
        shippedAt: item.shippedAt,
        deliveryWindowEndsAt: item.deliveryWindowEndsAt,
        deliveredAt: item.deliveredAt,
      };
    },
    async stats(now) {
      const one = (query: string, ...params: unknown[]) => (db.$client.prepare(query).get(...params) as { n: number }).n;
      return {
        disputesOpen: one('select count(*) n from disputes where ended = 0'),
        agentQueue: one("select count(*) n from disputes where state like 'escalated.%' or state like '%resolving.decision.appealed%'"),
        deadlinesDue: one('select count(*) n from deadlines where due_at <= ?', now),
        outboxPending: one("select count(*) n from outbox where status = 'pending'"),
      };
    },
    async listEvidence(disputeId) {
      return db.select().from(evidenceTable).where(eq(evidenceTable.disputeId, disputeId)).orderBy(asc(evidenceTable.uploadedAt), asc(evidenceTable.id)).all();
    },
    async getEvidence(disputeId, evidenceId) {
      return db.select().from(evidenceTable).where(and(eq(evidenceTable.disputeId, disputeId), eq(evidenceTable.id, evidenceId))).get();
    },
    async findDisputeByReturnTracking(trackingNumber) {
      const row = db
        .select()
        .from(disputes)
        .where(sql`json_extract(${disputes.snapshot}, '$.context.returnShipment.trackingNumber') = ${trackingNumber}`)
        .get();
      return row && toRecord(row);
    },
    async getClockOffset() {
      return db.select().from(clockState).where(eq(clockState.id, 1)).get()?.offsetMs ?? 0;
    },
    async setClockOffset(offsetMs) {
      const updatedAt = new Date().toISOString();
      db.insert(clockState)
        .values({ id: 1, offsetMs, updatedAt })
        // The offset never moves backwards, whatever a caller asks.
        .onConflictDoUpdate({ target: clockState.id, set: { offsetMs: sql`max(${clockState.offsetMs}, excluded.offset_ms)`, updatedAt } })
        .run();
    },
    async close() {
      db.$client.close();
    },
  };
}
