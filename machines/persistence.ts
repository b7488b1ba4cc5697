import type { DisputeContext } from './context.ts';
import { deadlineDefinitions } from './deadlines.ts';
import type { DisputeSnapshot } from './snapshot.ts';
import { disputeMachine, disputeMachineVersion } from './dispute.ts';

/**
 * Turning snapshots into JSON and back, across machine versions. A snapshot written by another
 * version of the chart is migrated step by step through `snapshotMigrations` (version n to n+1),
 * or refused with a clear error: it is never silently misread.
 */
export type PersistedSnapshot = ReturnType<typeof disputeMachine.getPersistedSnapshot>;

/** A persisted snapshot as JSON, of any version: what a migration reads and writes. */
export interface StoredSnapshot {
  value: unknown;
  context: unknown;
  status: string;
  [key: string]: unknown;
}

/** `snapshotMigrations[n]` turns a version-n persisted snapshot into a version n+1 one. */
export const snapshotMigrations: Readonly<Record<number, (snapshot: StoredSnapshot) => StoredSnapshot>> = {
  /**
   * Version 2 splits two states so that their tags can say what they mean: `resolved` becomes
   * `resolved.refunded` or `resolved.noRefund` (stage refunded or closed), and
   * `escalated.awaitingEvidence` becomes `.fromBuyer` or `.fromSeller` (who must act).
   */
  1: (snapshot) => {
    const context = snapshot.context as DisputeContext;
    const value = snapshot.value;
    let next: unknown = value;
    if (value === 'resolved') next = { resolved: context.funds.refunded > 0 ? 'refunded' : 'noRefund' };
    // A state value is a string or an object: a string has no `escalated`.
    if ((value as { escalated?: unknown }).escalated === 'awaitingEvidence') {
      // Stryker disable next-line OptionalChaining: a dispute awaiting evidence always has the request (agent.requestEvidence sets it)
      next = { escalated: { awaitingEvidence: context.evidenceRequest?.from === 'seller' ? 'fromSeller' : 'fromBuyer' } };
    }
    return { ...snapshot, value: next };
  },
  /**
   * Version 3 gives a return in transit a deadline (R-RET-5): one already on its way gets it
   * armed from the day it was shipped back, as if the rule had been there all along.
   */
  2: (snapshot) => {
    const context = snapshot.context as DisputeContext;
    const payout = (snapshot.value as { resolving?: { payout?: { returnLeg?: unknown } } }).resolving?.payout;
    if (payout?.returnLeg !== 'inTransit' || !context.returnShipment || context.deadlines.returnDelivery) return snapshot;
    const definition = deadlineDefinitions.returnDelivery;
    const armed = { event: definition.event, dueAt: definition.dueAt(context, context.returnShipment.shippedAt) };
    return { ...snapshot, context: { ...context, deadlines: { ...context.deadlines, returnDelivery: armed } } };
  },
};

export class UnsupportedMachineVersion extends Error {
  constructor(
    readonly disputeId: string,
    readonly found: number,
  ) {
    super(
      `dispute ${disputeId} was written by dispute machine version ${found}; this build runs version ${disputeMachineVersion} ` +
        `and has no migration from ${found} (see machines/persistence.ts)`,
    );
    this.name = 'UnsupportedMachineVersion';
  }
}

export function persistSnapshot(snapshot: DisputeSnapshot): PersistedSnapshot {
  return disputeMachine.getPersistedSnapshot(snapshot);
}

/**
 * The snapshot as the store keeps it: without the order facts and the policy, which the
 * dispute's input holds once and never changes (R-GEN-2, R-GEN-3). `expandSnapshot` puts them
 * back; a snapshot stored whole (by an earlier version) passes through unchanged.
 */
export function compactSnapshot(snapshot: DisputeSnapshot): StoredSnapshot {
  const persisted = persistSnapshot(snapshot) as unknown as StoredSnapshot & { context: DisputeContext };
  const { order: _order, policy: _policy, ...context } = persisted.context;
  return { ...persisted, context };
}

export function expandSnapshot(stored: unknown, input: { order: DisputeContext['order']; policy: DisputeContext['policy'] }): StoredSnapshot {
  const snapshot = stored as StoredSnapshot & { context: Partial<DisputeContext> };
  if (snapshot.context.order && snapshot.context.policy) return snapshot;
  return { ...snapshot, context: { ...snapshot.context, order: input.order, policy: input.policy } };
}

/** Restores a persisted snapshot written by `version`, migrating it forward when a path exists. */
export function restoreSnapshot(disputeId: string, persisted: unknown, version: number): DisputeSnapshot {
  // A version below 1 has no migration: the loop below refuses it.
  if (!Number.isInteger(version) || version > disputeMachineVersion) {
    throw new UnsupportedMachineVersion(disputeId, version);
  }
  let current = persisted as StoredSnapshot;
  for (let v = version; v < disputeMachineVersion; v += 1) {
    const migrate = snapshotMigrations[v];
    if (!migrate) throw new UnsupportedMachineVersion(disputeId, version);
    current = migrate(current);
  }
  return disputeMachine.resolveState(current as unknown as Parameters<typeof disputeMachine.resolveState>[0]);
}
