/**
 * Webhook deliveries of a step, added to its commit so they are written in the same
 * transaction: one per history row and subscriber (`dispute.created`, `dispute.updated`), and
 * `dispute.resolved` when the step ended the dispute. Each subscriber is its own outbox channel.
 */
import { randomUUID } from 'node:crypto';
import type { StepCommit } from '../../db/store.ts';
import type { Loaded } from './step.ts';

export function withWebhooks(commit: StepCommit, after: Loaded, wasEnded: boolean, subscribers: readonly string[]): StepCommit {
  if (subscribers.length === 0) return commit;
  const events: { type: string; seq: number; data: Record<string, unknown> }[] = commit.history.map((row) => ({
    type: row.seq === 1 ? 'dispute.created' : 'dispute.updated',
    seq: row.seq,
    data: { event: row.type, actor: { role: row.actorRole, id: row.actorId }, fromState: row.fromState, toState: row.toState, at: row.at },
  }));
  if (commit.columns.ended && !wasEnded) {
    events.push({ type: 'dispute.resolved', seq: commit.version, data: { outcome: after.snapshot.context.outcome } });
  }
  const common = {
    disputeId: after.id,
    orderId: after.orderId,
    itemId: after.itemId,
    version: commit.version,
    state: commit.columns.state,
    stage: commit.columns.stage,
    amounts: after.snapshot.context.funds,
  };
  const deliveries = events.flatMap((event) =>
    subscribers.map((subscriber) => ({
      seq: event.seq,
      kind: event.type,
      channel: `webhook:${subscriber}`,
      deliveryId: `whd_${randomUUID()}`,
      payload: { type: event.type, createdAt: commit.updatedAt, data: { ...common, seq: event.seq, ...event.data } },
    })),
  );
  return { ...commit, outbox: [...commit.outbox, ...deliveries] };
}
