/**
 * The outbox dispatcher: carries out effects after their step committed. It takes the next
 * pending row of each (dispute, channel), so a dispute's webhooks reach each subscriber in
 * order and its refunds reach the provider in order; channels and disputes run side by side,
 * and payments and webhooks drain in separate lanes. A failed attempt is retried with
 * exponential backoff; after `maxAttempts` the row turns `dead` (dead-letter) and the rows after
 * it on its channel wait until an admin re-drives it, so order holds across a re-drive. Delivery
 * is at least once: a crash between a delivery and its bookkeeping repeats it, with the same
 * delivery id / idempotency key.
 */
import type { DisputeStore, OutboxRow } from '../../db/store.ts';
import type { Logger } from '../log.ts';
import type { Clock } from '../runtime/clock.ts';
import { createPoller } from '../runtime/poller.ts';

export type Outcome = { ok: true; statusCode?: number } | { ok: false; error: string; statusCode?: number };

/** Carries out one row; never throws for an expected failure (it returns `ok: false`). */
export type Handler = (row: OutboxRow) => Promise<Outcome>;

/** A delivery lane: the channels it serves, and how many of their rows it carries out at once. */
export interface Lane {
  /** Channel prefix: `payments`, `webhook:`. */
  prefix: string;
  concurrency: number;
  /**
   * How long a row taken by a dispatcher is held before another may take it: longer than an
   * attempt can last (its handler's timeout), short enough that a crashed instance's rows are
   * taken over soon after.
   */
  leaseMs: number;
}

/** Refunds and releases never wait behind a slow webhook receiver: each lane drains on its own. */
export const defaultLanes: readonly Lane[] = [
  { prefix: 'payments', concurrency: 8, leaseMs: 12_000 },
  { prefix: 'webhook:', concurrency: 16, leaseMs: 12_000 }, // webhook attempts time out after 10 s
];

export interface DispatcherOptions {
  store: DisputeStore;
  clock: Clock;
  /** By channel prefix: `payments`, `webhook`. */
  handlers: Record<string, Handler>;
  lanes?: readonly Lane[];
  maxAttempts?: number;
  backoff?: { baseMs: number; maxMs: number };
  pollMs?: number;
  log: Logger;
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

export function backoffDelay(attempt: number, { baseMs, maxMs }: { baseMs: number; maxMs: number }): number {
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}

export function createDispatcher({
  store,
  clock,
  handlers,
  lanes = defaultLanes,
  maxAttempts = 8,
  backoff = { baseMs: 1000, maxMs: 5 * 60_000 },
  pollMs = 250,
  log,
}: DispatcherOptions) {
  async function attempt(row: OutboxRow): Promise<void> {
    const handler = handlers[row.channel.split(':')[0]!];
    const started = performance.now();
    let outcome: Outcome;
    try {
      outcome = handler ? await handler(row) : { ok: false, error: `no handler for channel ${row.channel}` };
    } catch (error) {
      outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    const n = row.attempts + 1;
    const now = clock.now();
    const error = outcome.ok ? null : outcome.error;
    const status = outcome.ok ? 'done' : n >= maxAttempts ? 'dead' : 'pending';
    const nextAttemptAt = status === 'pending' ? new Date(Date.parse(now) + backoffDelay(n, backoff)).toISOString() : now;
    await store.recordAttempt(
      row.id,
      { attempt: n, at: now, ok: outcome.ok, statusCode: outcome.statusCode ?? null, error, durationMs: Math.round(performance.now() - started) },
      { status, nextAttemptAt, error },
    );
    if (status === 'dead')
      log.error('an effect is dead after its last attempt; an admin can re-drive it', {
        outboxId: row.id,
        kind: row.kind,
        channel: row.channel,
        disputeId: row.disputeId,
        attempts: n,
        lastError: error,
      });
  }

  /** Each lane drains on its own; its drains never overlap, so a row is attempted once at a time. */
  const ticking = new Map<string, Promise<number>>(lanes.map((lane) => [lane.prefix, Promise.resolve(0)]));

  async function drain(lane: Lane): Promise<number> {
    let attempted = 0;
    for (;;) {
      const now = clock.now();
      const heads = await store.claimOutboxHeads(now, lane.concurrency, lane.prefix, new Date(Date.parse(now) + lane.leaseMs).toISOString());
      if (heads.length === 0) return attempted;
      await Promise.all(heads.map(attempt));
      attempted += heads.length; // failed rows are due later, so this ends
    }
  }

  function tickLane(lane: Lane): Promise<number> {
    const next = ticking.get(lane.prefix)!.then(
      () => drain(lane),
      () => drain(lane),
    );
    ticking.set(lane.prefix, next);
    return next;
  }

  /** Attempts every row due now in every lane (head of line per dispute and channel); returns how many. */
  async function tick(): Promise<number> {
    const counts = await Promise.all(lanes.map(tickLane));
    return counts.reduce((a, b) => a + b, 0);
  }

  // One poller per lane: a lane stuck on a slow receiver does not hold the others' next look.
  const pollers = lanes.map((lane) =>
    createPoller(
      () => tickLane(lane),
      () => pollMs,
      (error) => log.error('the outbox dispatcher failed', { lane: lane.prefix, error: String(error) }),
    ),
  );
  return {
    tick,
    start: () => pollers.forEach((p) => p.start()),
    /** Looks now (a step just committed effects). */
    wake: () => pollers.forEach((p) => p.wake()),
    stop: async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    },
  };
}
