/**
 * The outbox dispatcher: carries out effects after their step committed. It takes the next
 * pending row of each (dispute, channel), so a dispute's webhooks reach each subscriber in
 * order and its refunds reach the provider in order; channels and disputes run side by side.
 * A failed attempt is retried with exponential backoff; after `maxAttempts` the row turns
 * `dead` (dead-letter) until an admin re-drives it. Delivery is at least once: a crash between
 * a delivery and its bookkeeping repeats it, with the same delivery id / idempotency key.
 */
import type { DisputeStore, OutboxRow } from '../db/store.ts';
import type { Clock } from './clock.ts';
import { createPoller } from './poller.ts';

export type Outcome = { ok: true; statusCode?: number } | { ok: false; error: string; statusCode?: number };

/** Carries out one row; never throws for an expected failure (it returns `ok: false`). */
export type Handler = (row: OutboxRow) => Promise<Outcome>;

export interface DispatcherOptions {
  store: DisputeStore;
  clock: Clock;
  /** By channel prefix: `payments`, `webhook`. */
  handlers: Record<string, Handler>;
  maxAttempts?: number;
  backoff?: { baseMs: number; maxMs: number };
  pollMs?: number;
  concurrency?: number;
  onDead?: (row: OutboxRow) => void;
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

export function backoffDelay(attempt: number, { baseMs, maxMs }: { baseMs: number; maxMs: number }): number {
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}

export function createDispatcher({
  store,
  clock,
  handlers,
  maxAttempts = 8,
  backoff = { baseMs: 1000, maxMs: 5 * 60_000 },
  pollMs = 250,
  concurrency = 16,
  onDead = (row) => console.error(`outbox: row ${row.id} (${row.kind} on ${row.channel} of ${row.disputeId}) is dead after ${row.attempts} attempts: ${row.lastError}`),
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
    if (status === 'dead') onDead({ ...row, attempts: n, lastError: error });
  }

  let ticking: Promise<number> = Promise.resolve(0);

  /**
   * Attempts every row due now (head of line per dispute and channel); returns how many. Ticks
   * never overlap in a process: a row is attempted by one of them at a time.
   */
  function tick(): Promise<number> {
    ticking = ticking.then(drain, drain);
    return ticking;
  }

  async function drain(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const heads = await store.outboxHeads(clock.now(), concurrency);
      if (heads.length === 0) return attempted;
      await Promise.all(heads.map(attempt));
      attempted += heads.length; // failed rows are due later, so this ends
    }
  }

  const poller = createPoller(tick, () => pollMs, (error) => console.error('outbox dispatcher failed', error));
  return {
    tick,
    start: poller.start,
    /** Looks now (a step just committed effects). */
    wake: poller.wake,
    stop: poller.stop,
  };
}
