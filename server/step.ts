/**
 * The step: a pure function from a stored dispute and an event to the next snapshot and every
 * row the store must write in one transaction (history, deadline changes, outbox). No I/O: the
 * runtime loads before and commits after, and a batcher may call it many times per commit.
 */
import {
  catchUp,
  initialDisputeTransition,
  transitionDispute,
  type ExecutedAction,
  checkEvent,
  disputeMachine,
  disputeMachineVersion,
  parseEvent,
  persistSnapshot,
  restoreSnapshot,
  stateLabel,
  type Actor,
  type DisputeEvent,
  type DisputeInput,
  type DisputeSnapshot,
  type Problem,
  type Rejection,
} from '../machines/index.ts';
import { deadlineDefinitions, type DeadlineName } from '../machines/deadlines.ts';
import type { DeadlineRow, DisputeRecord, HistoryRow, OutboxEntry, StepCommit } from '../db/store.ts';

/** Actions of the machine that are effects for the outbox (the rest only update context). */
export const effectKinds: ReadonlySet<string> = new Set(['requestRefund', 'releaseFunds']);

/** The history type of the row that opens a dispute (it is the machine's input, not an event). */
export const OPENED = 'dispute.opened';

type Actions = ExecutedAction[];

/** Accumulates the rows of one step: any deadlines that fell due, then the event itself. */
class StepRows {
  readonly history: HistoryRow[] = [];
  readonly outbox: OutboxEntry[] = [];
  constructor(
    public snapshot: DisputeSnapshot,
    public seq: number,
    private readonly recordedAt: string,
  ) {}

  record(event: { type: string; at: string; by: Actor; [field: string]: unknown }, next: DisputeSnapshot, actions: Actions, from: string | null, idempotencyKey: string | null) {
    this.seq += 1;
    const { type, at, by, ...payload } = event;
    this.history.push({
      seq: this.seq,
      type,
      actorRole: by.role,
      actorId: by.id,
      payload,
      fromState: from,
      toState: stateLabel(next),
      at,
      recordedAt: this.recordedAt,
      idempotencyKey,
    });
    for (const action of actions) {
      if (effectKinds.has(action.type)) this.outbox.push({ seq: this.seq, kind: action.type, payload: action.params as Record<string, unknown> });
    }
    this.snapshot = next;
  }

  apply(event: DisputeEvent, idempotencyKey: string | null = null) {
    const from = stateLabel(this.snapshot);
    const [next, actions] = transitionDispute(this.snapshot, event);
    this.record(event, next, actions, from, idempotencyKey);
  }
}

/** The deadline rows to write so the table mirrors the snapshot's armed deadlines. */
export function deadlineChanges(before: DisputeSnapshot | null, after: DisputeSnapshot) {
  const was = before?.context.deadlines ?? {};
  const now = after.context.deadlines;
  const arm: DeadlineRow[] = [];
  for (const [name, armed] of Object.entries(now)) {
    if (!armed || was[name as DeadlineName]?.dueAt === armed.dueAt) continue;
    arm.push({ name, eventType: armed.event, dueAt: armed.dueAt, priority: deadlineDefinitions[name as DeadlineName].priority });
  }
  const disarm = Object.keys(was).filter((name) => !(name in now));
  return { arm, disarm };
}

function commitFrom(disputeId: string, expectedVersion: number, before: DisputeSnapshot | null, rows: StepRows, updatedAt: string): StepCommit {
  const { arm, disarm } = deadlineChanges(before, rows.snapshot);
  return {
    disputeId,
    expectedVersion,
    machineId: disputeMachine.id,
    machineVersion: disputeMachineVersion,
    version: rows.seq,
    state: stateLabel(rows.snapshot),
    ended: rows.snapshot.hasTag('ended'),
    snapshot: persistSnapshot(rows.snapshot),
    updatedAt,
    history: rows.history,
    armDeadlines: arm,
    disarmDeadlines: disarm,
    outbox: rows.outbox,
  };
}

export type StepResult =
  | { ok: true; commit: StepCommit; snapshot: DisputeSnapshot }
  | { ok: false; rejection: Rejection }
  | { ok: false; problems: Problem[] };

/** Opens a dispute: the machine's initial step, refused when the opening rules say so. */
export function openStep(input: DisputeInput, by: Actor, now: string, idempotencyKey: string | null = null): StepResult {
  const [snapshot, actions] = initialDisputeTransition(input);
  if (snapshot.context.openingProblems.length > 0) return { ok: false, problems: snapshot.context.openingProblems };
  const rows = new StepRows(snapshot, 0, now);
  rows.record({ type: OPENED, at: input.openedAt, by, request: input.request }, snapshot, actions, null, idempotencyKey);
  const commit = commitFrom(input.disputeId, 0, null, rows, now);
  commit.create = {
    orderId: input.order.orderId,
    itemId: input.order.itemId,
    buyerId: input.order.buyerId,
    sellerId: input.order.sellerId,
    input,
    openedAt: input.openedAt,
  };
  return { ok: true, commit, snapshot: rows.snapshot };
}

/** Restores the stored snapshot (migrating or refusing another machine version). */
export function restore(record: DisputeRecord): DisputeSnapshot {
  return restoreSnapshot(record.id, record.snapshot, record.machineVersion);
}

/**
 * Applies one event sent at `now`: deadlines due by then fire first (each stamped with its due
 * time), then the event is parsed and checked against the dispute as it stands. A refused event
 * writes nothing.
 */
export function eventStep(record: DisputeRecord, raw: unknown, by: Actor, now: string, idempotencyKey: string | null = null): StepResult {
  const parsed = parseEvent(raw, by, now);
  if (!parsed.ok) return { ok: false, rejection: parsed.rejection };
  const before = restore(record);
  const rows = new StepRows(before, record.version, now);
  for (const fired of catchUp(before, now).steps) rows.apply(fired.event);
  const checked = checkEvent(rows.snapshot, parsed.value);
  if (!checked.ok) return { ok: false, rejection: checked.rejection };
  rows.apply(checked.value, idempotencyKey);
  return { ok: true, commit: commitFrom(record.id, record.version, before, rows, now), snapshot: rows.snapshot };
}

/** Fires every deadline of the dispute due by `now`; `null` when none is. */
export function advanceStep(record: DisputeRecord, now: string): { commit: StepCommit; snapshot: DisputeSnapshot; fired: number } | null {
  const before = restore(record);
  const { steps } = catchUp(before, now);
  if (steps.length === 0) return null;
  const rows = new StepRows(before, record.version, now);
  for (const fired of steps) rows.apply(fired.event);
  return { commit: commitFrom(record.id, record.version, before, rows, now), snapshot: rows.snapshot, fired: steps.length };
}

/**
 * Rebuilds a dispute from its input and history alone. `npm run verify` compares the result with
 * the stored snapshot: any difference means the history does not explain the state.
 */
export function replay(input: DisputeInput, history: HistoryRow[]): DisputeSnapshot {
  let [snapshot] = initialDisputeTransition(input);
  for (const row of history) {
    if (row.type === OPENED) continue;
    const event = { ...row.payload, type: row.type, at: row.at, by: { role: row.actorRole, id: row.actorId } } as DisputeEvent;
    [snapshot] = transitionDispute(snapshot, event);
  }
  return snapshot;
}
