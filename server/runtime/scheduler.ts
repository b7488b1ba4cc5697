/**
 * The durable scheduler: finds due deadlines through the `deadlines_due` index and fires them
 * through the runtime's write path, stamped with their due time (R-GEN-4), a batch of disputes
 * at a time: each batch is one group commit, and the event loop is given back between batches so
 * requests are answered while a storm of deadlines fires. Its cost grows with the number of due
 * deadlines, not with the number of disputes. It catches up at start, after any downtime; two
 * schedulers on one database fire each deadline once (the version check lets one commit, the
 * other finds nothing left to fire).
 */
import type { DisputeStore } from '../../db/store.ts';
import type { Clock } from './clock.ts';
import { createPoller } from './poller.ts';
import type { Runtime } from './runtime.ts';

export interface SchedulerOptions {
  store: DisputeStore;
  runtime: Runtime;
  clock: Clock;
  /** Longest sleep between two looks at the table (ms); a new earlier deadline wakes it sooner. */
  pollMs?: number;
  /** Deadline rows read, and at most as many disputes fired, per batch. */
  batchSize?: number;
  /** How long claimed deadlines are held by this instance before another may fire them (ms). */
  leaseMs?: number;
  onError?: (error: unknown, disputeId: string) => void;
}

export type Scheduler = ReturnType<typeof createScheduler>;

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createScheduler({ store, runtime, clock, pollMs = 1000, batchSize = 100, leaseMs = 30_000, onError = () => {} }: SchedulerOptions) {
  let firedTotal = 0;

  /**
   * Fires everything due now; returns how many deadline events fired. Batches are small (the
   * event loop is given back between them, so no request waits long behind a storm) and
   * overlap: the next batch is computed while the previous one commits.
   */
  async function tick(): Promise<number> {
    await clock.refresh?.();
    const now = clock.now();
    const leaseUntil = new Date(Date.parse(now) + leaseMs).toISOString();
    // A dispute is handled once per tick: its step fires every deadline due by now at once.
    const handled = new Set<string>();
    let fired = 0;
    let committing: { batch: Promise<void>; disputes: number } | undefined;
    for (;;) {
      // The committing batch's rows are still in the table: read past them.
      const rows = await store.claimDueDeadlines(now, batchSize + (committing?.disputes ?? 0), leaseUntil);
      const disputeIds = [...new Set(rows.map((d) => d.disputeId))].filter((id) => !handled.has(id)).slice(0, batchSize);
      if (disputeIds.length === 0) {
        if (!committing) break;
        await committing.batch;
        committing = undefined;
        continue;
      }
      for (const id of disputeIds) handled.add(id);
      const batch = runtime.fireDue(disputeIds, now).then(({ fired: n, failed }) => {
        fired += n;
        for (const { disputeId, error } of failed) onError(error, disputeId); // e.g. an unknown machine version: reported, not retried
      });
      await committing?.batch;
      committing = { batch, disputes: disputeIds.length };
      await yieldToRequests();
    }
    firedTotal += fired;
    return fired;
  }

  /** Sleeps until the next deadline, but never longer than `pollMs`. */
  async function untilNextDeadline() {
    const next = await store.nextDeadlineAt(clock.now());
    return next ? Math.min(pollMs, Math.max(0, Date.parse(next) - Date.parse(clock.now()))) : pollMs;
  }

  const poller = createPoller(tick, untilNextDeadline, (error) => onError(error, '*'));
  return {
    get firedTotal() {
      return firedTotal;
    },
    tick,
    /** Catches up at once, then keeps firing deadlines as they fall due. */
    start: poller.start,
    /** Looks again now (after the clock moved, or a deadline was armed). */
    wake: poller.wake,
    stop: poller.stop,
  };
}
