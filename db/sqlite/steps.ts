/**
 * The one write that spans aggregates: a step's dispute row (checked against the version it was
 * computed from), its input when it opens the dispute, its history rows, deadline changes,
 * outbox effects, evidence and idempotency record, all or nothing. Runs in the writer thread,
 * inside the group's transaction; a failing step rolls back to its own savepoint only.
 */
import type { CommitOutcome, StepCommit } from '../store.ts';
import type { Sqlite } from './connection.ts';
import { deadlineWrites } from './deadlines.ts';
import { derivedParams } from './disputes.ts';
import { evidenceWrites } from './evidence.ts';
import { idempotencyWrites } from './idempotency.ts';
import { outboxWrites } from './outbox.ts';

/** A step as it crosses to the writer thread: every JSON document already a string. */
export interface WireStep extends Omit<StepCommit, 'create' | 'snapshot' | 'history' | 'outbox'> {
  create?: Omit<NonNullable<StepCommit['create']>, 'input'> & { input: string };
  snapshot: string;
  history: (Omit<StepCommit['history'][number], 'payload'> & { payload: string })[];
  outbox: (Omit<StepCommit['outbox'][number], 'payload'> & { payload: string })[];
}

/** Serialises a step for the writer thread (in the thread that computed it). */
export function toWire(step: StepCommit): WireStep {
  const { create, ...rest } = step;
  return {
    ...rest,
    ...(create ? { create: { ...create, input: JSON.stringify(create.input) } } : {}),
    snapshot: JSON.stringify(step.snapshot),
    history: step.history.map((h) => ({ ...h, payload: JSON.stringify(h.payload) })),
    outbox: step.outbox.map((o) => ({ ...o, payload: JSON.stringify(o.payload) })),
  };
}

class VersionConflict extends Error {}

function isUniqueViolation(error: unknown, table: string): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') &&
    error.message.includes(table)
  );
}

export function stepWrites(c: Sqlite) {
  const deadlines = deadlineWrites(c);
  const outbox = outboxWrites(c);
  const evidence = evidenceWrites(c);
  const idempotency = idempotencyWrites(c);
  const insertDispute = c.prepare(
    `insert into disputes (id, order_id, item_id, buyer_id, seller_id, machine_id, machine_version, state, stage, awaiting, awaits_agent, agent_visible,
       needs_attention, overdue_at, decision_due_at, return_tracking, ended, snapshot, version, opened_at, updated_at)
     values (@id, @orderId, @itemId, @buyerId, @sellerId, @machineId, @machineVersion, @state, @stage, @awaiting, @awaitsAgent, @agentVisible,
       @needsAttention, @overdueAt, @decisionDueAt, @returnTracking, @ended, @snapshot, @version, @openedAt, @updatedAt)`,
  );
  const insertInput = c.prepare('insert into dispute_inputs (dispute_id, input) values (?, ?)');
  const updateDispute = c.prepare(
    `update disputes set machine_version = @machineVersion, state = @state, stage = @stage, awaiting = @awaiting, awaits_agent = @awaitsAgent,
       agent_visible = @agentVisible, needs_attention = @needsAttention, overdue_at = @overdueAt, decision_due_at = @decisionDueAt,
       return_tracking = @returnTracking, ended = @ended, snapshot = @snapshot, version = @version, updated_at = @updatedAt
     where id = @id and version = @expectedVersion`,
  );
  const insertEvent = c.prepare(
    `insert into dispute_events (dispute_id, seq, type, actor_role, actor_id, payload, from_state, to_state, at, recorded_at, idempotency_key)
     values (@disputeId, @seq, @type, @actorRole, @actorId, @payload, @fromState, @toState, @at, @recordedAt, @idempotencyKey)`,
  );

  /** One step, all or nothing: a savepoint inside the group's transaction. */
  const commitOne = c.transaction((step: WireStep) => {
    if (step.idempotency) idempotency.remember({ ...step.idempotency, createdAt: step.updatedAt });
    const row = {
      id: step.disputeId,
      machineId: step.machineId,
      machineVersion: step.machineVersion,
      ...derivedParams(step.columns),
      snapshot: step.snapshot,
      version: step.version,
      updatedAt: step.updatedAt,
    };
    if (step.create) {
      const { input, ...identity } = step.create;
      insertDispute.run({ ...row, ...identity });
      insertInput.run(step.disputeId, input);
    } else if (updateDispute.run({ ...row, expectedVersion: step.expectedVersion }).changes !== 1) {
      throw new VersionConflict();
    }
    for (const h of step.history) insertEvent.run({ ...h, disputeId: step.disputeId });
    deadlines.disarm(step.disputeId, step.disarmDeadlines);
    deadlines.arm(step.disputeId, step.armDeadlines);
    if (step.evidence) evidence.record(step.evidence);
    outbox.append(step.disputeId, step.updatedAt, step.outbox);
  });

  return {
    commitStep(step: WireStep): CommitOutcome {
      try {
        commitOne(step);
        return { ok: true };
      } catch (error) {
        if (error instanceof VersionConflict) return { ok: false, reason: 'conflict' };
        if (isUniqueViolation(error, 'idempotency_keys')) return { ok: false, reason: 'idempotency_key_taken' };
        if (isUniqueViolation(error, 'disputes.order_id')) return { ok: false, reason: 'duplicate' };
        if (isUniqueViolation(error, 'disputes.id') || isUniqueViolation(error, 'dispute_events')) return { ok: false, reason: 'conflict' };
        throw error;
      }
    },
  };
}
