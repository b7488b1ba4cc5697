/**
 * The one write path: load the snapshot, compute the step purely, commit every row of it in
 * one transaction (with a version check), then tell listeners (effects, live views, the
 * scheduler). Nothing is acknowledged before it is committed.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  availableEvents,
  deadlineDefinitions,
  stateDescription,
  type AvailableEvent,
  disputeMachine,
  disputeMachineVersion,
  stateLabel,
  type Actor,
  type DeadlineName,
  type DisputeInput,
  type DisputeSnapshot,
  type OpenRequest,
  type Policy,
  type Problem,
  type Rejection,
  UnsupportedMachineVersion,
} from '../machines/index.ts';
import type { DisputeRecord, DisputeStore, EvidenceRecord, HistoryRow, StepCommit } from '../db/store.ts';
import type { Clock } from './clock.ts';
import { advanceStep, eventStep, openStep, restore, type StepResult } from './step.ts';

export interface DisputeView {
  id: string;
  /** Where the dispute stands, in words. */
  label: string;
  orderId: string;
  itemId: string;
  buyerId: string;
  sellerId: string;
  /** Dotted label of the active states, e.g. `negotiating.offerPending`. */
  state: string;
  value: DisputeSnapshot['value'];
  ended: boolean;
  version: number;
  machine: { id: string; version: number };
  amounts: DisputeSnapshot['context']['funds'];
  deadlines: { name: string; event: string; dueAt: string; rule: string }[];
  /** What the viewer may send now, with payload schemas carrying this dispute's limits. */
  next: AvailableEvent[];
  context: DisputeSnapshot['context'];
  openedAt: string;
  updatedAt: string;
}

type DisputeIdentity = Pick<DisputeRecord, 'id' | 'orderId' | 'itemId' | 'buyerId' | 'sellerId' | 'openedAt'>;

/**
 * The representation of a dispute every response carries: state (value and words), version,
 * amounts, deadlines, context, and what the viewer may send now (`next`, evaluated at `now`).
 */
export function toView(record: DisputeIdentity, snapshot: DisputeSnapshot, version: number, updatedAt: string, viewer?: Actor | null, now?: string): DisputeView {
  const deadlines = Object.entries(snapshot.context.deadlines)
    .flatMap(([name, d]) => (d ? [{ name, event: d.event, dueAt: d.dueAt, rule: deadlineDefinitions[name as DeadlineName].rule }] : []))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return {
    id: record.id,
    label: stateDescription(snapshot),
    orderId: record.orderId,
    itemId: record.itemId,
    buyerId: record.buyerId,
    sellerId: record.sellerId,
    state: stateLabel(snapshot),
    value: snapshot.value,
    ended: snapshot.hasTag('ended'),
    version,
    machine: { id: disputeMachine.id, version: disputeMachineVersion },
    amounts: snapshot.context.funds,
    deadlines,
    next: viewer ? availableEvents(snapshot, viewer, now ?? updatedAt) : [],
    context: snapshot.context,
    openedAt: record.openedAt,
    updatedAt,
  };
}

export type RuntimeError =
  | { kind: 'not_found'; message: string }
  | { kind: 'order_not_found'; message: string }
  | { kind: 'ineligible'; message: string; problems: Problem[] }
  | { kind: 'duplicate'; message: string; existingId: string | null }
  | { kind: 'rejected'; rejection: Rejection }
  | { kind: 'version_mismatch'; message: string; current: number }
  | { kind: 'idempotency_mismatch'; message: string }
  | { kind: 'busy'; message: string }
  | { kind: 'unsupported_version'; message: string };

export type RuntimeResult = { ok: true; statusCode: number; dispute: DisputeView; replayed: boolean } | { ok: false; error: RuntimeError };

/** What listeners hear after each commit. */
export interface Committed {
  disputeId: string;
  history: HistoryRow[];
  view: DisputeView;
  commit: StepCommit;
}

export interface RuntimeOptions {
  store: DisputeStore;
  /** Webhook subscribers' ids: every step fans out one delivery per subscriber (its own channel). */
  webhookSubscribers?: readonly string[];
  clock: Clock;
  /** The policy in force now; each dispute freezes the one it opened under (R-GEN-2). */
  policy: Policy;
  newDisputeId?: () => string;
  /** How often a step is recomputed when another writer got there first. */
  maxAttempts?: number;
}

export interface WriteOptions {
  idempotencyKey?: string | undefined;
  /** Evidence metadata to record in the same transaction as the step (its bytes already stored). */
  evidence?: EvidenceRecord | undefined;
  /** `If-Match`: the version the caller last saw; a different current version answers 412. */
  ifMatch?: number | undefined;
}

export type Runtime = ReturnType<typeof createRuntime>;

interface Idempotency {
  caller: string;
  key: string;
  requestHash: string;
}

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
const callerOf = (by: Actor) => `${by.role}:${by.id}`;

export function createRuntime({ store, clock, policy, webhookSubscribers = [], newDisputeId = () => `dsp_${randomUUID()}`, maxAttempts = 20 }: RuntimeOptions) {
  const listeners = new Set<(committed: Committed) => void>();

  /** Adds the webhook deliveries of a step to its commit (same transaction as the step). */
  function withNotifications(commit: StepCommit, record: DisputeIdentity, snapshot: DisputeSnapshot, wasEnded: boolean): StepCommit {
    if (webhookSubscribers.length === 0) return commit;
    const events: { type: string; seq: number; data: Record<string, unknown> }[] = commit.history.map((row) => ({
      type: row.seq === 1 ? 'dispute.created' : 'dispute.updated',
      seq: row.seq,
      data: { event: row.type, actor: { role: row.actorRole, id: row.actorId }, fromState: row.fromState, toState: row.toState, at: row.at },
    }));
    if (commit.ended && !wasEnded) {
      events.push({ type: 'dispute.resolved', seq: commit.version, data: { outcome: snapshot.context.outcome } });
    }
    const common = { disputeId: record.id, orderId: record.orderId, itemId: record.itemId, version: commit.version, state: commit.state, amounts: snapshot.context.funds };
    const deliveries = events.flatMap((event) =>
      webhookSubscribers.map((subscriber) => ({
        seq: event.seq,
        kind: event.type,
        channel: `webhook:${subscriber}`,
        deliveryId: `whd_${randomUUID()}`,
        payload: { type: event.type, createdAt: commit.updatedAt, data: { ...common, seq: event.seq, ...event.data } },
      })),
    );
    return { ...commit, outbox: [...commit.outbox, ...deliveries] };
  }

  function notify(commit: StepCommit, record: Pick<DisputeRecord, 'id' | 'orderId' | 'itemId' | 'buyerId' | 'sellerId' | 'openedAt'>, snapshot: DisputeSnapshot) {
    const view = toView(record, snapshot, commit.version, commit.updatedAt);
    for (const listener of listeners) {
      try {
        listener({ disputeId: commit.disputeId, history: commit.history, view, commit });
      } catch (error) {
        console.error('a commit listener failed', error);
      }
    }
  }

  /** Answers a repeated idempotency key: the first answer, or 422 when the body differs. */
  async function replayed(by: Actor, key: string | undefined, requestHash: string): Promise<RuntimeResult | null> {
    if (!key) return null;
    const found = await store.findIdempotent(callerOf(by), key);
    if (!found) return null;
    if (found.requestHash !== requestHash) {
      return {
        ok: false,
        error: { kind: 'idempotency_mismatch', message: `Idempotency-Key ${key} was already used with a different request` },
      };
    }
    return { ok: true, statusCode: found.statusCode, dispute: found.response as DisputeView, replayed: true };
  }

  async function runWrite(
    by: Actor,
    options: WriteOptions,
    request: unknown,
    attempt: () => Promise<{ result: StepResult; record: Pick<DisputeRecord, 'id' | 'orderId' | 'itemId' | 'buyerId' | 'sellerId' | 'openedAt'> } | RuntimeResult>,
  ): Promise<RuntimeResult> {
    const requestHash = hash(request);
    const idempotency: Idempotency | undefined = options.idempotencyKey ? { caller: callerOf(by), key: options.idempotencyKey, requestHash } : undefined;
    for (let i = 0; i < maxAttempts; i += 1) {
      const repeat = await replayed(by, options.idempotencyKey, requestHash);
      if (repeat) return repeat;
      const computed = await attempt();
      if ('ok' in computed) return computed;
      const { record } = computed;
      let { result } = computed;
      if (!result.ok) {
        if ('problems' in result) {
          return { ok: false, error: { kind: 'ineligible', message: result.problems.map((p) => p.message).join('; '), problems: result.problems } };
        }
        return { ok: false, error: { kind: 'rejected', rejection: result.rejection } };
      }
      // The answer is computed once: returned now, and kept as the first answer to the key.
      const statusCode = result.commit.create ? 201 : 200;
      const view = toView(record, result.snapshot, result.commit.version, result.commit.updatedAt, by, result.commit.updatedAt);
      result = { ...result, commit: withNotifications(result.commit, record, result.snapshot, 'ended' in record ? Boolean(record.ended) : false) };
      if (idempotency) result.commit.idempotency = { ...idempotency, statusCode, response: view };
      if (options.evidence) result.commit.evidence = [options.evidence];
      const [outcome] = await store.commit([result.commit]);
      if (outcome?.ok) {
        notify(result.commit, record, result.snapshot);
        return { ok: true, statusCode, dispute: view, replayed: false };
      }
      if (outcome?.reason === 'duplicate') {
        const existing = result.commit.create && (await store.findDisputeByItem(result.commit.create.orderId, result.commit.create.itemId));
        return {
          ok: false,
          error: {
            kind: 'duplicate',
            message: `order ${result.commit.create?.orderId} item ${result.commit.create?.itemId} already has a dispute (R-OPEN-3: one per item, ever)`,
            existingId: existing ? existing.id : null,
          },
        };
      }
      if (outcome?.reason === 'conflict' && options.ifMatch !== undefined) {
        const current = await store.getDispute(result.commit.disputeId);
        return { ok: false, error: { kind: 'version_mismatch', message: 'the dispute changed since that version', current: current?.version ?? 0 } };
      }
      // conflict without If-Match, or a concurrent request with the same idempotency key: go again.
    }
    return { ok: false, error: { kind: 'busy', message: `the dispute kept changing under ${maxAttempts} attempts; retry` } };
  }

  return {
    /** Hears every commit, after it is durable. Returns an unsubscribe function. */
    subscribe(listener: (committed: Committed) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Opens a dispute on a registered order item, freezing the current policy (R-GEN-2, R-GEN-3). */
    async open(orderId: string, itemId: string, request: OpenRequest, by: Actor, options: WriteOptions = {}): Promise<RuntimeResult> {
      const disputeId = newDisputeId();
      return runWrite(by, options, { op: 'open', orderId, itemId, request }, async () => {
        const order = await store.getOrderItemFacts(orderId, itemId);
        if (!order) return { ok: false, error: { kind: 'order_not_found', message: `order ${orderId} has no item ${itemId}: register the order first` } };
        if (by.role === 'buyer' && order.buyerId !== by.id) {
          return { ok: false, error: { kind: 'order_not_found', message: `order ${orderId} has no item ${itemId} bought by ${by.id}` } };
        }
        const now = clock.now();
        const input: DisputeInput = { disputeId, order, request, policy, openedAt: now };
        const record = { id: disputeId, orderId, itemId, buyerId: order.buyerId, sellerId: order.sellerId, openedAt: now };
        return { result: openStep(input, by, now, options.idempotencyKey), record };
      });
    },

    /** Sends one event to a dispute (`{ type, ...payload }` as the client sent it). */
    async send(disputeId: string, event: unknown, by: Actor, options: WriteOptions = {}): Promise<RuntimeResult> {
      const request = { op: 'send', disputeId, event };
      return runWrite(by, options, request, async () => {
        const record = await store.getDispute(disputeId);
        if (!record) return { ok: false, error: { kind: 'not_found', message: `no dispute ${disputeId}` } };
        const now = clock.now();
        try {
          const result = eventStep(record, event, by, now, options.idempotencyKey);
          // A refusal of the event itself answers first; a stale If-Match only stops an event that would apply.
          if (result.ok && options.ifMatch !== undefined && options.ifMatch !== record.version) {
            return { ok: false, error: { kind: 'version_mismatch', message: `If-Match ${options.ifMatch} is stale: the dispute is at version ${record.version}`, current: record.version } };
          }
          return { result, record };
        } catch (error) {
          if (error instanceof UnsupportedMachineVersion) return { ok: false, error: { kind: 'unsupported_version', message: error.message } };
          throw error;
        }
      });
    },

    /**
     * Fires the deadlines of one dispute due by `now`, through the same write path (the
     * scheduler's entry). Returns how many fired; stale deadline rows are discarded.
     */
    async advance(disputeId: string, now = clock.now()): Promise<number> {
      for (let i = 0; i < maxAttempts; i += 1) {
        const record = await store.getDispute(disputeId);
        if (!record) return 0;
        const step = advanceStep(record, now);
        if (!step) {
          const armed = restore(record).context.deadlines;
          const stale = (await store.getDeadlines(disputeId)).filter(
            (row) => row.dueAt <= now && armed[row.name as DeadlineName]?.dueAt !== row.dueAt,
          );
          if (stale.length > 0) await store.discardDeadlines(disputeId, stale.map((row) => row.name));
          return 0;
        }
        const commit = withNotifications(step.commit, record, step.snapshot, record.ended);
        const [outcome] = await store.commit([commit]);
        if (outcome?.ok) {
          notify(commit, record, step.snapshot);
          return step.fired;
        }
      }
      return 0;
    },

    async get(disputeId: string, viewer?: Actor | null): Promise<DisputeView | undefined> {
      const record = await store.getDispute(disputeId);
      return record && toView(record, restore(record), record.version, record.updatedAt, viewer, clock.now());
    },

    /** The restored snapshot and its record, for readers that evaluate the machine (what next). */
    async load(disputeId: string): Promise<{ record: DisputeRecord; snapshot: DisputeSnapshot } | undefined> {
      const record = await store.getDispute(disputeId);
      return record && { record, snapshot: restore(record) };
    },
  };
}
