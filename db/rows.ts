/**
 * Rows as both stores return them (snake_case; booleans as 0/1 from SQLite, true/false from
 * PostgreSQL), turned into the contract's records. Inputs never change once written, so parsed
 * ones are kept, up to a bound.
 */
import type { AwaitedParty, DisputeInput, Stage } from '../machines/index.ts';
import type { DisputeRecord, OutboxRow, OutboxStatus } from './store.ts';

type Flag = number | boolean;

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
  awaits_agent: Flag;
  agent_visible: Flag;
  needs_attention: Flag;
  overdue_at: string | null;
  decision_due_at: string | null;
  return_tracking: string | null;
  ended: Flag;
  snapshot: string;
  version: number;
  opened_at: string;
  updated_at: string;
}

/** Parsed inputs by dispute id, the oldest forgotten first past `max`. */
export class InputCache {
  private readonly entries = new Map<string, DisputeInput>();
  constructor(private readonly max = 10_000) {}
  get(id: string) {
    return this.entries.get(id);
  }
  /** The input of a dispute, parsed once from `text`. */
  parse(id: string, text: string): DisputeInput {
    let input = this.entries.get(id);
    if (!input) {
      input = JSON.parse(text) as DisputeInput;
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(id, input);
    }
    return input;
  }
}

/**
 * A stored snapshot that is not JSON (a damaged row): carried as this marker instead of failing
 * the whole read, so a list reports that one dispute and skips it (see server/queries).
 */
export class UnreadableSnapshot {
  constructor(readonly reason: string) {}
}

function parseSnapshot(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return new UnreadableSnapshot(`its stored snapshot is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

export function disputeRecord(row: DisputeRow, input: DisputeInput): DisputeRecord {
  return {
    id: row.id,
    orderId: row.order_id,
    itemId: row.item_id,
    buyerId: row.buyer_id,
    sellerId: row.seller_id,
    machineId: row.machine_id,
    machineVersion: row.machine_version,
    state: row.state,
    // '' only on rows written before the columns existed, re-derived at start-up (`underived`).
    stage: row.stage as Stage,
    awaiting: (row.awaiting ? row.awaiting.split(',') : []) as AwaitedParty[],
    awaitsAgent: Boolean(row.awaits_agent),
    agentVisible: Boolean(row.agent_visible),
    needsAttention: Boolean(row.needs_attention),
    overdueAt: row.overdue_at,
    decisionDueAt: row.decision_due_at,
    returnTracking: row.return_tracking,
    ended: Boolean(row.ended),
    snapshot: parseSnapshot(row.snapshot),
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

export const outboxRecord = (r: RawOutbox): OutboxRow => ({
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
