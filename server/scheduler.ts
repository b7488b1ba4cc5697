/**
 * The durable scheduler: finds due deadlines through the `deadlines_due` index and fires each
 * through the runtime's write path, stamped with its due time (R-GEN-4). Its cost grows with
 * the number of due deadlines, not with the number of disputes. It catches up at start, after
 * any downtime; two schedulers on one database fire each deadline once (the version check lets
 * one commit, the other finds nothing left to fire).
 */
import type { DisputeStore } from '../db/store.ts';
import type { Clock } from './clock.ts';
import { createPoller } from './poller.ts';
import type { Runtime } from './runtime.ts';

export interface SchedulerOptions {
  store: DisputeStore;
  runtime: Runtime;
  clock: Clock;
  /** Longest sleep between two looks at the table (ms); a new earlier deadline wakes it sooner. */
  pollMs?: number;
  batchSize?: number;
  onError?: (error: unknown, disputeId: string) => void;
}

export type Scheduler = ReturnType<typeof createScheduler>;

export function createScheduler({ store, runtime, clock, pollMs = 1000, batchSize = 200, onError = defaultOnError }: SchedulerOptions) {
  let firedTotal = 0;

  /** Fires everything due now; returns how many deadline events fired. */
  async function tick(): Promise<number> {
    const now = clock.now();
    const failed = new Set<string>();
    let fired = 0;
    for (;;) {
      const due = (await store.dueDeadlines(now, batchSize)).filter((d) => !failed.has(d.disputeId));
      if (due.length === 0) break;
      const disputes = [...new Set(due.map((d) => d.disputeId))];
      let progressed = false;
      for (const disputeId of disputes) {
        try {
          fired += await runtime.advance(disputeId, now);
          progressed = true;
        } catch (error) {
          failed.add(disputeId); // e.g. a snapshot of an unknown machine version: reported, not retried in a loop
          onError(error, disputeId);
        }
      }
      if (!progressed) break;
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

function defaultOnError(error: unknown, disputeId: string) {
  console.error(`scheduler: could not fire deadlines of ${disputeId}:`, error instanceof Error ? error.message : error);
}
