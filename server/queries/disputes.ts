/**
 * The read side: who may see a dispute, lists, the agent queue, one dispute and its history.
 * Used by the HTTP API, the live stream and the inspector alike; answered from the columns the
 * step writes (stage, who is awaited, agent visibility, overdue-at), never from state labels.
 * A row that cannot be read is reported and skipped: it never fails a whole list.
 */
import { UnsupportedMachineVersion } from '../../machines/index.ts';
import type { DisputeRecord, DisputeStore, HistoryRow, QueueCursor } from '../../db/store.ts';
import type { Principal } from '../auth/tokens.ts';
import type { Clock } from '../runtime/clock.ts';
import { load, type Loaded } from '../runtime/step.ts';
import { renderView, type DisputeView } from './view.ts';

/** The machine-level sender of a principal; support and admin never send dispute events. */
export function actorOf(principal: Principal) {
  return principal.role === 'buyer' || principal.role === 'seller' || principal.role === 'agent' || principal.role === 'system'
    ? { role: principal.role, id: principal.sub }
    : null;
}

/** Who may see a dispute: its parties, agents once it involves them, and support, system, admin. */
export function canSee(principal: Principal, record: Pick<DisputeRecord, 'buyerId' | 'sellerId' | 'agentVisible'>): boolean {
  switch (principal.role) {
    case 'buyer':
      return record.buyerId === principal.sub;
    case 'seller':
      return record.sellerId === principal.sub;
    case 'agent':
      return record.agentVisible;
    default:
      return true;
  }
}

export interface ListQuery {
  buyer?: string | undefined;
  seller?: string | undefined;
  order?: string | undefined;
  stage?: string | undefined;
  state?: string | undefined;
  ended?: boolean | undefined;
  overdue?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface Skipped {
  id: string;
  problem: string;
}

export class BadCursor extends Error {}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function decode<T>(cursor: string, check: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    // fall through
  }
  throw new BadCursor('the cursor is not one this API returned');
}
const isPair = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string');
const isTriple = (v: unknown): v is [string | null, string, string] =>
  Array.isArray(v) && v.length === 3 && (typeof v[0] === 'string' || v[0] === null) && typeof v[1] === 'string' && typeof v[2] === 'string';

export type Queries = ReturnType<typeof createQueries>;

export function createQueries({
  store,
  clock,
  log,
}: {
  store: DisputeStore;
  clock: Clock;
  log: { warn(message: string, fields?: Record<string, unknown>): void };
}) {
  /** Restores a record, or reports why it cannot be read. */
  function tryLoad(record: DisputeRecord, skipped: Skipped[]): Loaded | undefined {
    try {
      return load(record);
    } catch (error) {
      const problem = error instanceof UnsupportedMachineVersion ? error.message : `unreadable: ${error instanceof Error ? error.message : String(error)}`;
      log.warn('a dispute could not be read and was skipped', { disputeId: record.id, problem });
      skipped.push({ id: record.id, problem });
      return undefined;
    }
  }

  return {
    /** The dispute if the principal may see it; `undefined` otherwise (the caller answers 404 alike). */
    async visible(principal: Principal, id: string): Promise<Loaded | undefined> {
      const record = await store.getDispute(id);
      if (!record || !canSee(principal, record)) return undefined;
      return load(record); // one the caller may see but that cannot be read is an error, not a 404
    },

    /** Whether the principal may see the dispute, read without its snapshot (writes check this first). */
    async mayRead(principal: Principal, id: string): Promise<boolean> {
      const access = await store.getAccess(id);
      return access !== undefined && canSee(principal, access);
    },

    view(principal: Principal, dispute: Loaded): DisputeView {
      return renderView(dispute, actorOf(principal), clock.now());
    },

    /** A page of the disputes the principal may see, with filters; scoped by role first. */
    async list(principal: Principal, query: ListQuery): Promise<{ items: DisputeView[]; nextCursor: string | null; skipped: Skipped[] }> {
      const own = principal.role === 'buyer' ? { buyerId: principal.sub } : principal.role === 'seller' ? { sellerId: principal.sub } : {};
      // Asking for another party's disputes is not an error, and shows nothing.
      if (
        (principal.role === 'buyer' && query.buyer && query.buyer !== principal.sub) ||
        (principal.role === 'seller' && query.seller && query.seller !== principal.sub)
      ) {
        return { items: [], nextCursor: null, skipped: [] };
      }
      const now = clock.now();
      const after = query.cursor ? decode(query.cursor, isPair) : undefined;
      const page = await store.listDisputes({
        buyerId: query.buyer,
        sellerId: query.seller,
        ...own,
        orderId: query.order,
        stage: query.stage,
        statePrefix: query.state,
        ended: query.ended,
        agentVisible: principal.role === 'agent' ? true : undefined,
        overdueAt: query.overdue ? now : undefined,
        after: after && { openedAt: after[0], id: after[1] },
        limit: query.limit,
      });
      const skipped: Skipped[] = [];
      const viewer = actorOf(principal);
      const items = page.items.flatMap((record) => {
        const dispute = tryLoad(record, skipped);
        return dispute ? [renderView(dispute, viewer, now)] : [];
      });
      return { items, nextCursor: page.next ? encode([page.next.openedAt, page.next.id]) : null, skipped };
    },

    /** The agent queue: the earliest decision due first (overdue ones first of all), then the rest. */
    async agentQueue(principal: Principal, { cursor, limit }: { cursor?: string | undefined; limit: number }) {
      const after = cursor ? decode(cursor, isTriple) : undefined;
      const page = await store.agentQueue({ after: after && ({ decisionDueAt: after[0], openedAt: after[1], id: after[2] } satisfies QueueCursor), limit });
      const skipped: Skipped[] = [];
      const now = clock.now();
      const items = page.items.flatMap((record) => {
        const dispute = tryLoad(record, skipped);
        if (!dispute) return [];
        const view = renderView(dispute, actorOf(principal), now);
        return [{ ...view, assignedAgent: dispute.snapshot.context.escalation?.agentId ?? null }];
      });
      return { items, nextCursor: page.next ? encode([page.next.decisionDueAt, page.next.openedAt, page.next.id]) : null, skipped };
    },

    async history(disputeId: string): Promise<Omit<HistoryRow, 'idempotencyKey'>[]> {
      return (await store.getHistory(disputeId)).map(({ idempotencyKey: _key, ...row }) => row);
    },
  };
}
