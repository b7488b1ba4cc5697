/**
 * The one write path: load the dispute (or take the state computed by the step before, still
 * committing), compute the step purely, commit every row of it (with a version check) in the
 * store's shared transaction, then tell listeners (effects, live views, the scheduler). Nothing
 * is acknowledged before it is committed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { UnsupportedMachineVersion, type Actor, type OpenRequest, type Policy, type Problem, type Rejection } from '../../machines/index.ts';
import type { CommitOutcome, DisputeStore, EvidenceRecord, HistoryRow, StepCommit } from '../../db/store.ts';
import type { Logger } from '../log.ts';
import type { Clock } from './clock.ts';
import { DisputeCache } from './dispute-cache.ts';
import { withWebhooks } from './notifications.ts';
import { advanceStep, eventStep, load, openStep, type Loaded, type StepResult } from './step.ts';

export type RuntimeError =
  | { kind: 'not_found'; message: string }
  | { kind: 'order_not_found'; message: string }
  | { kind: 'ineligible'; message: string; problems: Problem[] }
  | { kind: 'duplicate'; message: string; existingId: string | null }
  | { kind: 'rejected'; rejection: Rejection }
  | { kind: 'version_mismatch'; message: string; current: number }
  | { kind: 'idempotency_mismatch'; message: string }
  | { kind: 'busy'; message: string }
  | { kind: 'unavailable'; message: string }
  | { kind: 'unsupported_version'; message: string };

/** An applied (or replayed) write: the dispute as committed after it, for the caller to render. */
export type RuntimeResult = { ok: true; statusCode: number; dispute: Loaded; replayed: boolean } | { ok: false; error: RuntimeError };

/** What listeners hear after each commit: the rows written and the dispute as it now is. */
export interface Committed {
  disputeId: string;
  history: HistoryRow[];
  dispute: Loaded;
  /** `remote`: another instance committed it (PostgreSQL); its own scheduler and dispatcher act on it. */
  origin: 'local' | 'remote';
  /** The step armed a deadline (the scheduler may need to look sooner). */
  armsDeadlines: boolean;
  /** The step wrote effects to the outbox (the dispatcher may look now). */
  hasEffects: boolean;
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
  /** How many recently written disputes are kept in memory (busy disputes pipeline their steps). */
  cacheSize?: number;
  log: Pick<Logger, 'error'>;
}

export interface WriteOptions {
  idempotencyKey?: string | undefined;
  /** Evidence metadata to record in the same transaction as the step (its bytes already stored). */
  evidence?: EvidenceRecord | undefined;
  /** `If-Match`: the version the caller last saw; a different current version answers 412. */
  ifMatch?: number | undefined;
  /** What identifies the request for its Idempotency-Key, when the event carries generated ids. */
  fingerprint?: unknown;
}

export type Runtime = ReturnType<typeof createRuntime>;

const callerOf = (by: Actor) => `${by.role}:${by.id}`;
const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** The step to attempt, or an answer already (a refusal, a replay). */
type Attempt = { result: StepResult; base: Loaded | null } | RuntimeResult;

export function createRuntime({
  store,
  clock,
  policy,
  webhookSubscribers = [],
  newDisputeId = () => `dsp_${randomUUID()}`,
  maxAttempts = 20,
  cacheSize,
  log,
}: RuntimeOptions) {
  const listeners = new Set<(committed: Committed) => void>();
  const cache = new DisputeCache(cacheSize);
  /**
   * Whether a step may be computed on one still committing (see DisputeCache). Only where this
   * process is the one writer: with several instances, another may commit the same version
   * numbers meanwhile, and a step built on a failed one would pass its version check.
   */
  const pipelines = store.singleWriter;
  /** Remote announcements being read, by dispute (see `heard`). */
  const hearing = new Map<string, { next?: { from: number; to: number } | undefined; done: Promise<void> }>();

  function notify(commit: StepCommit, dispute: Loaded) {
    tell({
      disputeId: commit.disputeId,
      history: commit.history,
      dispute,
      origin: 'local',
      armsDeadlines: commit.armDeadlines.length > 0,
      hasEffects: commit.outbox.length > 0,
    });
  }

  function tell(committed: Committed) {
    for (const listener of listeners) {
      try {
        listener(committed);
      } catch (error) {
        log.error('a commit listener failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  /** The dispute as committed, restored; `undefined` when there is none. */
  async function loadCommitted(disputeId: string): Promise<Loaded | undefined> {
    const record = await store.getDispute(disputeId);
    return record && load(record);
  }

  /** The newest state to compute on: the cache's (maybe still committing), else the database's. */
  async function loadLatest(disputeId: string): Promise<Loaded | undefined> {
    return cache.latest(disputeId) ?? (await loadCommitted(disputeId));
  }

  /** Answers a repeated idempotency key: the first status and the dispute as it is now; 422 when the body differs. */
  async function replayed(by: Actor, key: string, requestHash: string): Promise<RuntimeResult | null> {
    const found = await store.findIdempotent(callerOf(by), key);
    if (!found) return null;
    if (found.requestHash !== requestHash) {
      return { ok: false, error: { kind: 'idempotency_mismatch', message: `Idempotency-Key ${key} was already used with a different request` } };
    }
    const dispute = await loadCommitted(found.disputeId);
    if (!dispute) return { ok: false, error: { kind: 'not_found', message: `no dispute ${found.disputeId}` } };
    return { ok: true, statusCode: found.statusCode, dispute, replayed: true };
  }

  async function failureOf(outcome: Exclude<CommitOutcome, { ok: true }>, commit: StepCommit, options: WriteOptions): Promise<RuntimeResult | null> {
    if (outcome.reason === 'unavailable') return { ok: false, error: { kind: 'unavailable', message: outcome.message } };
    if (outcome.reason === 'duplicate') {
      const existing = commit.create && (await store.findDisputeByItem(commit.create.orderId, commit.create.itemId));
      return {
        ok: false,
        error: {
          kind: 'duplicate',
          message: `order ${commit.create?.orderId} item ${commit.create?.itemId} already has a dispute (R-OPEN-3: one per item, ever)`,
          existingId: existing ? existing.id : null,
        },
      };
    }
    if (outcome.reason === 'conflict' && options.ifMatch !== undefined) {
      const current = await store.getDispute(commit.disputeId);
      return { ok: false, error: { kind: 'version_mismatch', message: 'the dispute changed since that version', current: current?.version ?? 0 } };
    }
    return null; // a conflict without If-Match, or the same key committed concurrently: go again
  }

  async function runWrite(by: Actor, options: WriteOptions, request: () => unknown, attempt: () => Promise<Attempt>): Promise<RuntimeResult> {
    const key = options.idempotencyKey;
    const requestHash = key ? hashOf(request()) : '';
    for (let i = 0; i < maxAttempts; i += 1) {
      if (key) {
        const repeat = await replayed(by, key, requestHash);
        if (repeat) return repeat;
      }
      const computed = await attempt();
      if ('ok' in computed) return computed;
      const { result, base } = computed;
      if (!result.ok) {
        if ('problems' in result)
          return { ok: false, error: { kind: 'ineligible', message: result.problems.map((p) => p.message).join('; '), problems: result.problems } };
        return { ok: false, error: { kind: 'rejected', rejection: result.rejection } };
      }
      const statusCode = result.commit.create ? 201 : 200;
      const commit = withWebhooks(result.commit, result.after, base?.snapshot.hasTag('ended') ?? false, webhookSubscribers);
      if (key) commit.idempotency = { caller: callerOf(by), key, requestHash, statusCode, disputeId: commit.disputeId, version: commit.version };
      if (options.evidence) commit.evidence = [options.evidence];
      if (pipelines) cache.advance(result.after); // the next step on this dispute may build on it now
      const [outcome] = await store.commit([commit]);
      if (outcome!.ok) {
        if (!pipelines) cache.advance(result.after);
        notify(commit, result.after);
        return { ok: true, statusCode, dispute: result.after, replayed: false };
      }
      cache.invalidate(result.after);
      const failure = await failureOf(outcome!, commit, options);
      if (failure) return failure;
      // Another writer (another process on the file) got there first: back off a little, at
      // random, so two writers hammering one dispute take turns instead of one starving.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** i)));
    }
    return { ok: false, error: { kind: 'busy', message: `the dispute kept changing under ${maxAttempts} attempts; retry` } };
  }

  function guarded(run: () => Promise<Attempt>): () => Promise<Attempt> {
    return async () => {
      try {
        return await run();
      } catch (error) {
        if (error instanceof UnsupportedMachineVersion) return { ok: false, error: { kind: 'unsupported_version', message: error.message } };
        throw error;
      }
    };
  }

  /**
   * Fires the deadlines due by `now` of each dispute, through the same write path: all their
   * steps go to the store together (one transaction). Returns how many deadline events fired;
   * rows whose dispute already moved on are discarded, never fired.
   */
  async function fireDue(disputeIds: readonly string[], now: string): Promise<{ fired: number; failed: { disputeId: string; error: unknown }[] }> {
    const failed: { disputeId: string; error: unknown }[] = [];
    let fired = 0;
    let pending = [...new Set(disputeIds)];
    for (let i = 0; i < maxAttempts && pending.length > 0; i += 1) {
      const steps: { disputeId: string; commit: StepCommit; after: Loaded; fired: number }[] = [];
      for (const disputeId of pending) {
        try {
          const loaded = await loadLatest(disputeId);
          if (!loaded) continue;
          const step = advanceStep(loaded, now);
          if (!step) {
            await discardStale(loaded, now);
            continue;
          }
          const commit = withWebhooks(step.commit, step.after, loaded.snapshot.hasTag('ended'), webhookSubscribers);
          if (pipelines) cache.advance(step.after);
          steps.push({ disputeId, commit, after: step.after, fired: step.fired });
        } catch (error) {
          failed.push({ disputeId, error }); // e.g. an unknown machine version: reported, not retried in a loop
        }
      }
      const outcomes = await store.commit(steps.map((s) => s.commit));
      pending = [];
      outcomes.forEach((outcome, n) => {
        const step = steps[n]!;
        if (outcome.ok) {
          fired += step.fired;
          if (!pipelines) cache.advance(step.after);
          notify(step.commit, step.after);
          return;
        }
        cache.invalidate(step.after);
        if (outcome.reason === 'unavailable') failed.push({ disputeId: step.disputeId, error: new Error(outcome.message) });
        else pending.push(step.disputeId); // someone else wrote first: recompute
      });
    }
    return { fired, failed };
  }

  /** Deadline rows due by `now` that the dispute no longer has armed are removed. */
  async function discardStale(loaded: Loaded, now: string) {
    const armed = loaded.snapshot.context.deadlines;
    const stale = (await store.getDeadlines(loaded.id)).filter((row) => row.dueAt <= now && armed[row.name as keyof typeof armed]?.dueAt !== row.dueAt);
    if (stale.length > 0)
      await store.discardDeadlines(
        loaded.id,
        stale.map((row) => row.name),
      );
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
      return runWrite(
        by,
        options,
        () => ({ op: 'open', orderId, itemId, request }),
        async () => {
          const order = await store.getOrderItemFacts(orderId, itemId);
          // A buyer learns nothing of orders that are not theirs: the same answer as no order.
          if (!order || (by.role === 'buyer' && order.buyerId !== by.id)) {
            return {
              ok: false,
              error: { kind: 'order_not_found', message: `you have no order ${orderId} with an item ${itemId}: the marketplace registers orders first` },
            };
          }
          const now = clock.now();
          return { result: openStep({ disputeId, order, request, policy, openedAt: now }, by, now, options.idempotencyKey), base: null };
        },
      );
    },

    /** Sends one event to a dispute (`{ type, ...payload }` as the client sent it). */
    async send(disputeId: string, event: unknown, by: Actor, options: WriteOptions = {}): Promise<RuntimeResult> {
      return runWrite(
        by,
        options,
        () => options.fingerprint ?? { op: 'send', disputeId, event },
        guarded(async () => {
          const loaded = await loadLatest(disputeId);
          if (!loaded) return { ok: false, error: { kind: 'not_found', message: `no dispute ${disputeId}` } };
          const result = eventStep(loaded, event, by, clock.now(), options.idempotencyKey);
          // A refusal of the event itself answers first; a stale If-Match only stops an event that would apply.
          if (result.ok && options.ifMatch !== undefined && options.ifMatch !== loaded.version) {
            return {
              ok: false,
              error: {
                kind: 'version_mismatch',
                message: `If-Match ${options.ifMatch} is stale: the dispute is at version ${loaded.version}`,
                current: loaded.version,
              },
            };
          }
          return { result, base: loaded };
        }),
      );
    },

    fireDue,

    /** Why the dispute would refuse this event now, or `null` if it would take it (nothing is written). */
    async refusal(disputeId: string, event: unknown, by: Actor): Promise<RuntimeError | null> {
      const loaded = await loadLatest(disputeId);
      if (!loaded) return { kind: 'not_found', message: `no dispute ${disputeId}` };
      const result = eventStep(loaded, event, by, clock.now());
      if (result.ok) return null;
      return 'rejection' in result
        ? { kind: 'rejected', rejection: result.rejection }
        : { kind: 'ineligible', message: 'not eligible', problems: result.problems };
    },

    /** Fires the deadlines of one dispute due by `now`; how many fired. */
    async advance(disputeId: string, now = clock.now()): Promise<number> {
      const { fired, failed } = await fireDue([disputeId], now);
      if (failed[0]) throw failed[0].error;
      return fired;
    },

    /** The dispute as committed, restored, for readers that evaluate the machine. */
    loadCommitted,

    /** The newest state this instance holds in memory for a busy dispute, if any (no I/O). */
    cached: (disputeId: string): Loaded | undefined => cache.latest(disputeId),

    /**
     * Another instance committed steps `from` → `to` of a dispute: forget what this one
     * remembered of it, and tell listeners (live views) as if it had been committed here.
     */
    /**
     * Another instance committed versions `from`..`to` of a dispute: forget it and tell the
     * listeners. Announcements of one dispute are coalesced: while its read is in flight, later
     * ones only widen the range read next, so a hot dispute costs each instance a bounded number
     * of reads, not one per commit elsewhere; only the new history rows are read.
     */
    async heard(disputeId: string, from: number, to: number) {
      cache.forget(disputeId);
      const running = hearing.get(disputeId);
      if (running) {
        running.next = { from: Math.min(running.next?.from ?? from, from), to: Math.max(running.next?.to ?? to, to) };
        return running.done;
      }
      const entry: { next?: { from: number; to: number } | undefined; done: Promise<void> } = { done: Promise.resolve() };
      hearing.set(disputeId, entry);
      entry.done = (async () => {
        try {
          let range: { from: number; to: number } | undefined = { from, to };
          let told = -1; // the last history row told: a later read starts after it
          while (range) {
            entry.next = undefined;
            const dispute = await loadCommitted(disputeId);
            if (!dispute) return;
            const history = (await store.getHistory(disputeId, Math.max(range.from, told))).filter((row) => row.seq <= dispute.version);
            if (history.length > 0) {
              told = history.at(-1)!.seq;
              tell({ disputeId, history, dispute, origin: 'remote', armsDeadlines: false, hasEffects: false });
            }
            range = entry.next;
          }
        } finally {
          hearing.delete(disputeId);
        }
      })();
      return entry.done;
    },
  };
}
