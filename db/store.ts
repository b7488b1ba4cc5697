/**
 * The store contract: what the runtime, the read side and the effects need of a database. Async
 * at its boundary so that SQLite (a worker thread owns the writes) and PostgreSQL implement it
 * alike. Writes are grouped: steps of different disputes that arrive together share one
 * transaction and one fsync, and each is answered only once its own commit is durable.
 */
import type { DisputeInput, OrderItemFacts, Standing } from '../machines/index.ts';

/** A write the database refused or could not make: the caller's request fails, nothing changed. */
export class StoreUnavailable extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'StoreUnavailable';
  }
}

/** The columns lists and queues filter on: where the dispute stands, derived by the step. */
export type DerivedColumns = Standing;

export interface DisputeRecord extends DerivedColumns {
  id: string;
  orderId: string;
  itemId: string;
  buyerId: string;
  sellerId: string;
  machineId: string;
  machineVersion: number;
  /** The XState persisted snapshot as stored (without the input's order facts and policy). */
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

export type OutboxStatus = 'pending' | 'done' | 'dead';

export interface OutboxRow {
  id: number;
  disputeId: string;
  seq: number;
  channel: string;
  kind: string;
  deliveryId: string;
  payload: Record<string, unknown>;
  status: OutboxStatus;
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

/** What a repeated request needs to be answered again: not the first response, re-rendered. */
export interface IdempotencyRecord {
  caller: string;
  key: string;
  requestHash: string;
  statusCode: number;
  disputeId: string;
  /** The version the first request created. */
  version: number;
  createdAt: string;
}

/** An inspector session or a one-time sign-in code, by the sha256 (hex) of its secret. */
export interface SessionRecord {
  idHash: string;
  kind: 'session' | 'code';
  role: string;
  sub: string;
  createdAt: string;
  expiresAt: string;
  /** When it was signed out of (a session) or used up (a code); null while it holds. */
  revokedAt: string | null;
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
  /** Present when the step opens the dispute: written once, never updated. */
  create?: { orderId: string; itemId: string; buyerId: string; sellerId: string; input: DisputeInput; openedAt: string };
  machineId: string;
  machineVersion: number;
  version: number;
  columns: DerivedColumns;
  /** The persisted snapshot, without the input's order facts and policy. */
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
 * `unavailable`: the database could not commit (full, read-only, gone): nothing was written.
 */
export type CommitOutcome =
  { ok: true } | { ok: false; reason: 'conflict' | 'duplicate' | 'idempotency_key_taken' } | { ok: false; reason: 'unavailable'; message: string };

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

/**
 * A page of disputes, oldest first, after the cursor (`openedAt`, `id`); filters combine. One
 * equality filter with an index drives the scan; the others are checked on the rows it reads,
 * at most a bounded number per page, so a filter that matches sparsely answers quickly with a
 * short page and a cursor to go on from.
 */
export interface DisputeFilter {
  buyerId?: string | undefined;
  sellerId?: string | undefined;
  orderId?: string | undefined;
  stage?: string | undefined;
  /** Matches the state label from its start, e.g. `escalated` or `negotiating.offerPending`. */
  statePrefix?: string | undefined;
  ended?: boolean | undefined;
  /** Only disputes agents may see. */
  agentVisible?: boolean | undefined;
  /** Only disputes whose service level was due at or before this instant. */
  overdueAt?: string | undefined;
  after?: { openedAt: string; id: string } | undefined;
  limit: number;
}

export interface DisputePage {
  items: DisputeRecord[];
  /** Where the next page starts; `null` when the scan reached the end. */
  next: { openedAt: string; id: string } | null;
}

/** A place in the agent queue: decision due (none sorts last), then opening order. */
export interface QueueCursor {
  decisionDueAt: string | null;
  openedAt: string;
  id: string;
}

/** The agent queue: disputes awaiting an agent, the earliest decision due first, then the rest. */
export interface QueueFilter {
  after?: QueueCursor | undefined;
  limit: number;
}

export interface DisputeStore {
  /** `sqlite` or `postgres`: what /readyz and the logs report. */
  readonly kind: string;
  /**
   * Whether this process is normally the database's only writer (SQLite), so a step may be
   * computed on one still committing; false where several instances write (PostgreSQL).
   */
  readonly singleWriter: boolean;

  // ---- disputes ----
  getDispute(id: string): Promise<DisputeRecord | undefined>;
  /** Who a dispute concerns, without reading its snapshot: enough to decide who may see it. */
  getAccess(id: string): Promise<Pick<DisputeRecord, 'id' | 'buyerId' | 'sellerId' | 'agentVisible'> | undefined>;
  findDisputeByItem(orderId: string, itemId: string): Promise<DisputeRecord | undefined>;
  /** The dispute whose return travels under this tracking number (R-RET-2 carrier callbacks). */
  findDisputeByReturnTracking(trackingNumber: string): Promise<DisputeRecord | undefined>;
  /** Dispute ids in opening order, a page at a time (`after` the last id of the previous page). */
  disputeIds(after: { openedAt: string; id: string } | undefined, limit: number): Promise<{ id: string; openedAt: string }[]>;
  /** Whether any dispute exists (one row read). */
  hasDisputes(): Promise<boolean>;
  listDisputes(filter: DisputeFilter): Promise<DisputePage>;
  agentQueue(filter: QueueFilter): Promise<{ items: DisputeRecord[]; next: QueueCursor | null }>;
  /** The dispute's history in order; with `afterSeq`, only the rows after that one. */
  getHistory(disputeId: string, afterSeq?: number): Promise<HistoryRow[]>;
  /** Records written before the derived columns existed, a page at a time. */
  underived(limit: number): Promise<DisputeRecord[]>;
  /** Writes derived columns of records re-derived from their snapshots (no version change). */
  writeDerived(rows: { id: string; version: number; columns: DerivedColumns }[]): Promise<void>;

  // ---- the write path ----
  /** Commits each step in its own savepoint inside a shared transaction (one fsync for the group). */
  commit(steps: StepCommit[]): Promise<CommitOutcome[]>;

  // ---- deadlines ----
  /** Deadlines due at or before `at`, earliest first, then by priority (R-GEN-4). */
  dueDeadlines(at: string, limit: number): Promise<DueDeadline[]>;
  /**
   * Due deadlines for this instance to fire, earliest first, each held until `leaseUntil`: other
   * instances skip them meanwhile, and take them over if this one dies before firing them.
   */
  claimDueDeadlines(at: string, limit: number, leaseUntil: string): Promise<DueDeadline[]>;
  /** The earliest due time, or the earliest after `after` when given. */
  nextDeadlineAt(after?: string): Promise<string | undefined>;
  getDeadlines(disputeId: string): Promise<DeadlineRow[]>;
  /** Removes deadline rows no longer armed in their dispute (a stale row is never fired). */
  discardDeadlines(disputeId: string, names: string[]): Promise<void>;

  // ---- the outbox ----
  getOutbox(disputeId: string): Promise<OutboxRow[]>;
  /**
   * The next pending row of each (dispute, channel) that is due, in the channels starting with
   * `channelPrefix`, held until `leaseUntil` (its next attempt moves there): order is kept per
   * channel, and no other dispatcher takes the row while this one carries it out.
   */
  claimOutboxHeads(now: string, limit: number, channelPrefix: string, leaseUntil: string): Promise<OutboxRow[]>;
  /** Records one attempt and the row's new status, together. */
  recordAttempt(id: number, attempt: DeliveryAttempt, next: { status: OutboxStatus; nextAttemptAt: string; error: string | null }): Promise<void>;
  listOutbox(filter: { status?: OutboxStatus | undefined; disputeId?: string | undefined; limit: number }): Promise<OutboxRow[]>;
  getOutboxRow(id: number): Promise<OutboxRow | undefined>;
  deliveryAttempts(outboxId: number): Promise<DeliveryAttempt[]>;
  /** A dead row goes back to pending, attempts reset; false when the row is not dead. */
  redrive(id: number, now: string): Promise<boolean>;

  // ---- idempotency ----
  findIdempotent(caller: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Forgets idempotency keys created before `before`; returns how many. */
  purgeIdempotency(before: string): Promise<number>;
  /** Records a key outside a step (e.g. a clock move); false, and nothing written, when (caller, key) is taken. */
  rememberIdempotency(record: IdempotencyRecord): Promise<boolean>;

  // ---- sessions (the inspector's) ----
  /** Records a session or a one-time sign-in code. */
  createSession(record: Omit<SessionRecord, 'revokedAt'>): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | undefined>;
  /** Ends a session (sign-out) or uses up a code; false when unknown or already ended. */
  revokeSession(idHash: string, at: string): Promise<boolean>;
  /**
   * Uses up a one-time code and records the session it becomes, in one transaction: of two
   * redeeming the same code at once, one gets the session, the other undefined. Undefined too
   * when the code is unknown, used or expired at `at`.
   */
  redeemSignInCode(codeHash: string, at: string, session: { idHash: string; expiresAt: string }): Promise<SessionRecord | undefined>;
  /** Forgets sessions and codes that expired before `before`; returns how many. */
  purgeSessions(before: string): Promise<number>;

  // ---- orders, evidence, clock ----
  registerOrder(order: OrderRegistration, at: string): Promise<void>;
  getOrderItemFacts(orderId: string, itemId: string): Promise<OrderItemFacts | undefined>;
  /**
   * The buyer's order items no dispute was ever opened on (R-OPEN-3) that completed (or, never
   * completed, whose delivery window ended) after `anchoredAfter`, by order and item id.
   */
  undisputedOrderItems(buyerId: string, anchoredAfter: string, limit: number): Promise<OrderItemFacts[]>;
  listEvidence(disputeId: string): Promise<EvidenceRecord[]>;
  getEvidence(disputeId: string, evidenceId: string): Promise<EvidenceRecord | undefined>;
  /** Any evidence record of these bytes, on any dispute (stored bytes nobody records are removed). */
  evidenceBySha(sha256: string): Promise<EvidenceRecord | undefined>;
  getClockOffset(): Promise<number>;
  setClockOffset(offsetMs: number): Promise<void>;

  /** Queue depths for metrics, read at scrape time. */
  stats(now: string): Promise<{ disputesOpen: number; agentQueue: number; deadlinesDue: number; outboxPending: number }>;
  /**
   * Hears commits made by other instances on the same database (PostgreSQL's LISTEN/NOTIFY),
   * so live views connected to any instance see every change. Returns an unsubscribe function.
   */
  onRemoteCommit(listener: (commit: { disputeId: string; from: number; to: number }) => void): () => void;
  /** Writes and removes a probe row: the database accepts a write now. */
  probeWrite(): Promise<void>;
  close(): Promise<void>;
}
