/**
 * The SQLite store: a writer thread owns the one writing connection (group commit, fsync off
 * the event loop); the main thread reads from its own connection, synchronously inside, every
 * statement prepared once. `openSqliteStore({ path: 'data/arbiter.db' })`.
 */
import { StoreUnavailable, type CommitOutcome, type DisputeStore, type StepCommit } from '../store.ts';
import { migrateDatabase, openReadingConnection, type OpenOptions } from './connection.ts';
import { deadlineReads } from './deadlines.ts';
import { disputeReads } from './disputes.ts';
import { evidenceReads } from './evidence.ts';
import { idempotencyReads } from './idempotency.ts';
import { orderReads } from './orders.ts';
import { outboxReads, toRow, type RawOutbox } from './outbox.ts';
import { serviceStateReads } from './service-state.ts';
import { sessionReads } from './sessions.ts';
import { toWire } from './steps.ts';
import { startWriter } from './writer.ts';
import type { WriteOp, WriteResult } from './writer-ops.ts';

export { dueDeadlinesSql } from './deadlines.ts';
export type { OpenOptions } from './connection.ts';

export async function openSqliteStore(options: OpenOptions): Promise<DisputeStore> {
  migrateDatabase(options); // creates the file if needed; the writer thread and readers open it after
  const writer = await startWriter(options);
  const db = openReadingConnection(options.path);
  const disputes = disputeReads(db);
  const deadlines = deadlineReads(db);
  const outbox = outboxReads(db);
  const evidence = evidenceReads(db);
  const orders = orderReads(db);
  const idempotency = idempotencyReads(db);
  const state = serviceStateReads(db);
  const sessions = sessionReads(db);

  async function write<T>(op: WriteOp): Promise<T> {
    const result: WriteResult = await writer.submit(op);
    if (!result.ok) throw new StoreUnavailable(result.error, result.code);
    return result.value as T;
  }

  return {
    kind: 'sqlite',
    singleWriter: true,
    getDispute: async (id) => disputes.getDispute(id),
    getAccess: async (id) => disputes.getAccess(id),
    findDisputeByItem: async (orderId, itemId) => disputes.findDisputeByItem(orderId, itemId),
    findDisputeByReturnTracking: async (trackingNumber) => disputes.findDisputeByReturnTracking(trackingNumber),
    disputeIds: async (after, limit) => disputes.disputeIds(after, limit),
    hasDisputes: async () => disputes.hasDisputes(),
    listDisputes: async (filter) => disputes.listDisputes(filter),
    agentQueue: async (filter) => disputes.agentQueue(filter),
    getHistory: async (disputeId, afterSeq) => disputes.getHistory(disputeId, afterSeq),
    underived: async (limit) => disputes.underived(limit),
    writeDerived: (rows) => write({ kind: 'writeDerived', rows }),

    async commit(steps: StepCommit[]): Promise<CommitOutcome[]> {
      const results = await Promise.all(steps.map((step) => writer.submit({ kind: 'step', step: toWire(step) })));
      return results.map((r) => (r.ok ? (r.value as CommitOutcome) : { ok: false, reason: 'unavailable', message: r.error }));
    },

    dueDeadlines: async (at, limit) => deadlines.dueDeadlines(at, limit),
    // One writer per file: version checks keep two processes from firing a deadline twice.
    claimDueDeadlines: async (at, limit) => deadlines.dueDeadlines(at, limit),
    nextDeadlineAt: async (after) => deadlines.nextDeadlineAt(after),
    getDeadlines: async (disputeId) => deadlines.getDeadlines(disputeId),
    discardDeadlines: (disputeId, names) => write({ kind: 'discardDeadlines', disputeId, names }),

    getOutbox: async (disputeId) => outbox.getOutbox(disputeId),
    claimOutboxHeads: async (now, limit, channelPrefix, leaseUntil) =>
      (await write<RawOutbox[]>({ kind: 'claimOutbox', now, limit, channelPrefix, leaseUntil })).map(toRow),
    recordAttempt: (id, attempt, next) => write({ kind: 'recordAttempt', id, attempt, next }),
    listOutbox: async (filter) => outbox.listOutbox(filter),
    getOutboxRow: async (id) => outbox.getOutboxRow(id),
    deliveryAttempts: async (outboxId) => outbox.deliveryAttempts(outboxId),
    redrive: (id, now) => write<boolean>({ kind: 'redrive', id, now }),

    findIdempotent: async (caller, key) => idempotency.findIdempotent(caller, key),
    purgeIdempotency: (before) => write<number>({ kind: 'purgeIdempotency', before }),
    rememberIdempotency: (record) => write<boolean>({ kind: 'rememberIdempotency', record }),

    createSession: (record) => write({ kind: 'session', op: { kind: 'create', record } }),
    getSession: async (idHash) => sessions.getSession(idHash),
    revokeSession: (idHash, at) => write<boolean>({ kind: 'session', op: { kind: 'revoke', idHash, at } }),
    redeemSignInCode: (codeHash, at, session) => write({ kind: 'session', op: { kind: 'redeem', codeHash, at, session } }),
    purgeSessions: (before) => write<number>({ kind: 'session', op: { kind: 'purge', before } }),

    registerOrder: (order, at) => write({ kind: 'registerOrder', order, at }),
    getOrderItemFacts: async (orderId, itemId) => orders.getOrderItemFacts(orderId, itemId),
    undisputedOrderItems: async (buyerId, anchoredAfter, limit) => orders.undisputedOrderItems(buyerId, anchoredAfter, limit),
    listEvidence: async (disputeId) => evidence.listEvidence(disputeId),
    getEvidence: async (disputeId, evidenceId) => evidence.getEvidence(disputeId, evidenceId),
    evidenceBySha: async (sha256) => evidence.evidenceBySha(sha256),
    getClockOffset: async () => state.getClockOffset(),
    setClockOffset: (offsetMs) => write({ kind: 'setClockOffset', offsetMs }),
    stats: async (now) => state.stats(now),
    probeWrite: () => write({ kind: 'probeWrite' }),
    // Another process on the same file is not heard: its commits show on the next read.
    onRemoteCommit: () => () => {},

    async close() {
      await writer.close();
      db.close();
    },
  };
}
