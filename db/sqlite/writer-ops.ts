/**
 * What the writer thread does, by operation. Every write of the service goes through here, so
 * one connection in one thread holds the write lock and fsyncs: requests that arrive together
 * share one transaction, each in its own savepoint.
 */
import type { DeliveryAttempt, DerivedColumns, IdempotencyRecord, OrderRegistration, OutboxStatus } from '../store.ts';
import type { Sqlite } from './connection.ts';
import { deadlineWrites } from './deadlines.ts';
import { derivedWrites } from './disputes.ts';
import { idempotencyWrites } from './idempotency.ts';
import { orderWrites } from './orders.ts';
import { outboxWrites } from './outbox.ts';
import { serviceStateWrites } from './service-state.ts';
import { sessionWrites, type SessionOp } from './sessions.ts';
import { stepWrites, type WireStep } from './steps.ts';

export type WriteOp =
  | { kind: 'step'; step: WireStep }
  | { kind: 'registerOrder'; order: OrderRegistration; at: string }
  | { kind: 'recordAttempt'; id: number; attempt: DeliveryAttempt; next: { status: OutboxStatus; nextAttemptAt: string; error: string | null } }
  | { kind: 'redrive'; id: number; now: string }
  | { kind: 'claimOutbox'; now: string; limit: number; channelPrefix: string; leaseUntil: string }
  | { kind: 'discardDeadlines'; disputeId: string; names: string[] }
  | { kind: 'purgeIdempotency'; before: string }
  | { kind: 'rememberIdempotency'; record: IdempotencyRecord }
  | { kind: 'session'; op: SessionOp }
  | { kind: 'setClockOffset'; offsetMs: number }
  | { kind: 'writeDerived'; rows: { id: string; version: number; columns: DerivedColumns }[] }
  | { kind: 'probeWrite' };

/** An operation's answer; `error` when it threw (its savepoint was rolled back). */
export type WriteResult = { ok: true; value: unknown } | { ok: false; error: string; code?: string };

export function writerOps(c: Sqlite) {
  const steps = stepWrites(c);
  const orders = orderWrites(c);
  const outbox = outboxWrites(c);
  const deadlines = deadlineWrites(c);
  const idempotency = idempotencyWrites(c);
  const derived = derivedWrites(c);
  const state = serviceStateWrites(c);
  const sessions = sessionWrites(c);

  function apply(op: WriteOp): unknown {
    switch (op.kind) {
      case 'step':
        return steps.commitStep(op.step);
      case 'registerOrder':
        return orders.registerOrder(op.order, op.at);
      case 'recordAttempt':
        return outbox.recordAttempt(op.id, op.attempt, op.next);
      case 'redrive':
        return outbox.redrive(op.id, op.now);
      case 'claimOutbox':
        return outbox.claim(op.now, op.limit, op.channelPrefix, op.leaseUntil);
      case 'discardDeadlines':
        return deadlines.disarm(op.disputeId, op.names);
      case 'purgeIdempotency':
        return idempotency.purge(op.before);
      case 'rememberIdempotency':
        return idempotency.rememberOnce(op.record);
      case 'session':
        return sessions.apply(op.op);
      case 'setClockOffset':
        return state.setClockOffset(op.offsetMs);
      case 'writeDerived':
        return derived.writeDerived(op.rows);
      case 'probeWrite':
        return state.probeWrite();
    }
  }

  /** One operation in its own savepoint: a failure rolls back that operation only. */
  const inSavepoint = c.transaction((op: WriteOp) => apply(op));

  /**
   * Runs a group in one IMMEDIATE transaction (one fsync). If the commit itself fails (disk
   * full, read-only file), every operation of the group fails and nothing was written.
   */
  function runGroup(ops: WriteOp[]): WriteResult[] {
    const results: WriteResult[] = [];
    const group = c.transaction(() => {
      for (const op of ops) {
        try {
          results.push({ ok: true, value: inSavepoint(op) });
        } catch (error) {
          results.push({ ok: false, error: error instanceof Error ? error.message : String(error), ...(codeOf(error) ? { code: codeOf(error)! } : {}) });
        }
      }
    });
    try {
      group.immediate();
      return results;
    } catch (error) {
      const failure: WriteResult = {
        ok: false,
        error: `the database did not commit: ${error instanceof Error ? error.message : String(error)}`,
        code: codeOf(error) ?? 'COMMIT',
      };
      return ops.map(() => failure);
    }
  }

  return { runGroup };
}

const codeOf = (error: unknown): string | undefined => (error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined);
