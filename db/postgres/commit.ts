/**
 * Group commit on PostgreSQL: steps submitted while a group is being committed leave together
 * as the next group, sent as one statement (`arbiter_commit_steps`, a migration's function) and
 * so committed in one transaction; each step runs in its own subtransaction and reports its own
 * outcome. One group at a time per instance keeps a busy dispute's pipelined steps in order.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { toWire } from '../sqlite/steps.ts';
import type { CommitOutcome, StepCommit } from '../store.ts';

interface Pending {
  step: string;
  resolve: (outcome: CommitOutcome) => void;
}

export function groupCommitter(pool: pg.Pool, { maxGroup = 500 } = {}) {
  /** Who commits, in the notifications other instances hear (they ignore their own). */
  const origin = randomUUID();
  let queue: Pending[] = [];
  let inFlight = false;
  let scheduled = false;

  async function flush() {
    scheduled = false;
    if (inFlight || queue.length === 0) return;
    const group = queue.slice(0, maxGroup);
    queue = queue.slice(group.length);
    inFlight = true;
    try {
      const { rows } = await pool.query<{ outcomes: string[] }>('select arbiter_commit_steps($1::jsonb, $2) as outcomes', [
        `[${group.map((p) => p.step).join(',')}]`,
        origin,
      ]);
      const outcomes = rows[0]!.outcomes;
      group.forEach((p, i) =>
        p.resolve(outcomes[i] === 'ok' ? { ok: true } : { ok: false, reason: outcomes[i] as 'conflict' | 'duplicate' | 'idempotency_key_taken' }),
      );
    } catch (error) {
      const message = `the database did not commit: ${error instanceof Error ? error.message : String(error)}`;
      for (const p of group) p.resolve({ ok: false, reason: 'unavailable', message });
    } finally {
      inFlight = false;
      void flush();
    }
  }

  return {
    origin,
    commit(steps: StepCommit[]): Promise<CommitOutcome[]> {
      return Promise.all(
        steps.map(
          (step) =>
            new Promise<CommitOutcome>((resolve) => {
              const wire = toWire(step);
              // Every effect carries its channel and delivery id, as SQLite's defaults give them.
              wire.outbox = wire.outbox.map((o) => ({
                ...o,
                channel: o.channel ?? 'payments',
                deliveryId: o.deliveryId ?? `${step.disputeId}:${o.seq}:${o.kind}`,
              }));
              queue.push({ step: JSON.stringify(wire), resolve });
              if (!inFlight && !scheduled) {
                scheduled = true;
                setImmediate(() => void flush());
              }
            }),
        ),
      );
    },
    /** Resolves once nothing is queued or in flight. */
    async drained() {
      while (inFlight || queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    },
  };
}
