/**
 * The step: a pure function from a loaded dispute and an event to the next snapshot and every
 * row the store must write in one transaction (the dispute row with its derived columns,
 * history, deadline changes, outbox). No I/O: the runtime loads before and commits after.
 */
import {
  catchUp,
  checkEvent,
  compactSnapshot,
  deadlineDefinitions,
  disputeMachine,
  disputeMachineVersion,
  expandSnapshot,
  initialDisputeTransition,
  parseEvent,
  restoreSnapshot,
  standingOf,
  stateLabel,
  transitionDispute,
  type Actor,
  type DeadlineName,
  type DisputeEvent,
  type DisputeInput,
  type DisputeSnapshot,
  type ExecutedAction,
  type Problem,
  type Rejection,
} from '../../machines/index.ts';
import type { DeadlineRow, DisputeRecord, HistoryRow, OutboxEntry, StepCommit } from '../../db/store.ts';
import { UnreadableSnapshot } from '../../db/rows.ts';

/** Actions of the machine that are effects for the outbox (the rest only update context). */
export const effectKinds: ReadonlySet<string> = new Set(['requestRefund', 'releaseFunds']);

/** The history type of the row that opens a dispute (it is the machine's input, not an event). */
export const OPENED = 'dispute.opened';

/** A dispute in memory: who it concerns, its restored snapshot and the version it is at. */
export interface Loaded {
  id: string;
  orderId: string;
  itemId: string;
  buyerId: string;
  sellerId: string;
  openedAt: string;
  input: DisputeInput;
  snapshot: DisputeSnapshot;
  version: number;
  updatedAt: string;
}

/** Restores a stored dispute (migrating or refusing another machine version). */
export function load(record: DisputeRecord): Loaded {
  if (record.snapshot instanceof UnreadableSnapshot) throw new Error(record.snapshot.reason);
  const snapshot = restoreSnapshot(record.id, expandSnapshot(record.snapshot, record.input), record.machineVersion);
  const { id, orderId, itemId, buyerId, sellerId, openedAt, input, version, updatedAt } = record;
  return { id, orderId, itemId, buyerId, sellerId, openedAt, input, snapshot, version, updatedAt };
}

/** Accumulates the rows of one step: any deadlines that fell due, then the event itself. */
class StepRows {
  readonly history: HistoryRow[] = [];
  readonly outbox: OutboxEntry[] = [];
  constructor(
    public snapshot: DisputeSnapshot,
    public seq: number,
    private readonly recordedAt: string,
  ) {}

  record(
    event: { type: string; at: string; by: Actor; [field: string]: unknown },
    next: DisputeSnapshot,
    actions: ExecutedAction[],
    from: string | null,
    idempotencyKey: string | null,
  ) {
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
    columns: standingOf(rows.snapshot),
    snapshot: compactSnapshot(rows.snapshot),
    updatedAt,
    history: rows.history,
    armDeadlines: arm,
    disarmDeadlines: disarm,
    outbox: rows.outbox,
  };
}

/** A computed step: what to commit, and the dispute as it will be once committed. */
export type StepResult = { ok: true; commit: StepCommit; after: Loaded } | { ok: false; rejection: Rejection } | { ok: false; problems: Problem[] };

const advanced = (loaded: Loaded, snapshot: DisputeSnapshot, version: number, updatedAt: string): Loaded => ({ ...loaded, snapshot, version, updatedAt });

/** Opens a dispute: the machine's initial step, refused when the opening rules say so. */
export function openStep(input: DisputeInput, by: Actor, now: string, idempotencyKey: string | null = null): StepResult {
  const [snapshot, actions] = initialDisputeTransition(input);
  if (snapshot.context.openingProblems.length > 0) return { ok: false, problems: snapshot.context.openingProblems };
  const rows = new StepRows(snapshot, 0, now);
  rows.record({ type: OPENED, at: input.openedAt, by, request: input.request }, snapshot, actions, null, idempotencyKey);
  const commit = commitFrom(input.disputeId, 0, null, rows, now);
  const { orderId, itemId, buyerId, sellerId } = input.order;
  commit.create = { orderId, itemId, buyerId, sellerId, input, openedAt: input.openedAt };
  const after: Loaded = {
    id: input.disputeId,
    orderId,
    itemId,
    buyerId,
    sellerId,
    openedAt: input.openedAt,
    input,
    snapshot: rows.snapshot,
    version: rows.seq,
    updatedAt: now,
  };
  return { ok: true, commit, after };
}

/**
 * Applies one event sent at `now`: deadlines due by then fire first (each stamped with its due
 * time), then the event is parsed and checked against the dispute as it stands. A refused event
 * writes nothing.
 */
export function eventStep(loaded: Loaded, raw: unknown, by: Actor, now: string, idempotencyKey: string | null = null): StepResult {
  const parsed = parseEvent(raw, by, now);
  if (!parsed.ok) return { ok: false, rejection: parsed.rejection };
  const before = loaded.snapshot;
  const rows = new StepRows(before, loaded.version, now);
  for (const fired of catchUp(before, now).steps) rows.apply(fired.event);
  const checked = checkEvent(rows.snapshot, parsed.value);
  if (!checked.ok) return { ok: false, rejection: checked.rejection };
  rows.apply(checked.value, idempotencyKey);
  return { ok: true, commit: commitFrom(loaded.id, loaded.version, before, rows, now), after: advanced(loaded, rows.snapshot, rows.seq, now) };
}

/** Fires every deadline of the dispute due by `now`; `null` when none is. */
export function advanceStep(loaded: Loaded, now: string): { commit: StepCommit; after: Loaded; fired: number } | null {
  const before = loaded.snapshot;
  const { steps } = catchUp(before, now);
  if (steps.length === 0) return null;
  const rows = new StepRows(before, loaded.version, now);
  for (const fired of steps) rows.apply(fired.event);
  return { commit: commitFrom(loaded.id, loaded.version, before, rows, now), after: advanced(loaded, rows.snapshot, rows.seq, now), fired: steps.length };
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
