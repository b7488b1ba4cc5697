/**
 * Rows as PostgreSQL returns them, turned into the store contract's records. Inputs never
 * change once written, so parsed ones are kept, up to a bound.
 */
import type { AwaitedParty, DisputeInput, Stage } from '../../machines/index.ts';
import type { DisputeRecord, OutboxRow, OutboxStatus } from '../store.ts';

export interface DisputeRow {
  id: string;
  order_id: string;
  item_id: string;
  buyer_id: string;
  seller_id: string;
  machine_id: string;
  machine_version: number;
  state: string;
  stage: string;
  awaiting: string;
  awaits_agent: boolean;
  agent_visible: boolean;
  needs_attention: boolean;
  overdue_at: string | null;
  decision_due_at: string | null;
  return_tracking: string | null;
  ended: boolean;
  snapshot: string;
  version: number;
  opened_at: string;
  updated_at: string;
  /** Joined from dispute_inputs. */
  input: string;
}

export function toRecord(row: DisputeRow, inputs: Map<string, DisputeInput>, maxInputs = 10_000): DisputeRecord {
  let input = inputs.get(row.id);
  if (!input) {
    input = JSON.parse(row.input) as DisputeInput;
    if (inputs.size >= maxInputs) inputs.delete(inputs.keys().next().value!);
    inputs.set(row.id, input);
  }
  return {
    id: row.id,
    orderId: row.order_id,
    itemId: row.item_id,
    buyerId: row.buyer_id,
    sellerId: row.seller_id,
    machineId: row.machine_id,
    machineVersion: row.machine_version,
    state: row.state,
    stage: row.stage as Stage,
    awaiting: (row.awaiting ? row.awaiting.split(',') : []) as AwaitedParty[],
    awaitsAgent: row.awaits_agent,
    agentVisible: row.agent_visible,
    needsAttention: row.needs_attention,
    overdueAt: row.overdue_at,
    decisionDueAt: row.decision_due_at,
    returnTracking: row.return_tracking,
    ended: row.ended,
    snapshot: JSON.parse(row.snapshot),
    input,
    version: row.version,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
  };
}

export interface RawOutbox {
  id: string | number;
  dispute_id: string;
  seq: number;
  channel: string;
  kind: string;
  delivery_id: string;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  done_at: string | null;
}

export const toOutboxRow = (r: RawOutbox): OutboxRow => ({
  id: Number(r.id),
  disputeId: r.dispute_id,
  seq: r.seq,
  channel: r.channel,
  kind: r.kind,
  deliveryId: r.delivery_id,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  doneAt: r.done_at,
});
