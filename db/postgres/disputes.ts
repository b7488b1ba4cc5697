/**
 * Disputes and their history on PostgreSQL: the same reads as SQLite's, answered from the same
 * indexes, a page at a time after an (`opened_at`, `id`) cursor, each page a bounded scan.
 */
import type pg from 'pg';
import type { DerivedColumns, DisputeFilter, DisputePage, DisputeRecord, HistoryRow, QueueCursor, QueueFilter } from '../store.ts';
import { disputeRecord, InputCache, type DisputeRow } from '../rows.ts';

type Row = DisputeRow;

export function disputeQueries(pool: pg.Pool, { scanBudget = 2_000 } = {}) {
  const inputs = new InputCache();

  /** Records of rows, their inputs read in one query for those not cached yet. */
  async function records(rows: Row[]): Promise<DisputeRecord[]> {
    const missing = rows.filter((r) => !inputs.get(r.id)).map((r) => r.id);
    const fetched = new Map<string, string>();
    if (missing.length > 0) {
      const result = await pool.query<{ dispute_id: string; input: string }>('select dispute_id, input from dispute_inputs where dispute_id = any($1)', [
        missing,
      ]);
      for (const r of result.rows) fetched.set(r.dispute_id, r.input);
    }
    return rows.map((row) => disputeRecord(row, inputs.get(row.id) ?? inputs.parse(row.id, fetched.get(row.id) ?? 'null')));
  }

  async function one(text: string, values: unknown[]): Promise<DisputeRecord | undefined> {
    const { rows } = await pool.query<Row>(text, values);
    return rows[0] && (await records([rows[0]]))[0];
  }

  return {
    getDispute: (id: string) => one('select * from disputes where id = $1', [id]),
    async getAccess(id: string) {
      const { rows } = await pool.query<{ id: string; buyerId: string; sellerId: string; agentVisible: boolean }>(
        'select id, buyer_id as "buyerId", seller_id as "sellerId", agent_visible as "agentVisible" from disputes where id = $1',
        [id],
      );
      return rows[0];
    },
    findDisputeByItem: (orderId: string, itemId: string) => one('select * from disputes where order_id = $1 and item_id = $2', [orderId, itemId]),
    findDisputeByReturnTracking: (trackingNumber: string) => one('select * from disputes where return_tracking = $1 limit 1', [trackingNumber]),
    async disputeIds(after: { openedAt: string; id: string } | undefined, limit: number) {
      const { rows } = await pool.query<{ id: string; openedAt: string }>(
        'select id, opened_at as "openedAt" from disputes where (opened_at, id) > ($1, $2) order by opened_at, id limit $3',
        [after?.openedAt ?? '', after?.id ?? '', limit],
      );
      return rows;
    },
    async hasDisputes() {
      return (await pool.query('select 1 from disputes limit 1')).rowCount! > 0;
    },

    /** The most selective indexed equality drives a bounded, ordered scan; the rest are checked per row. */
    async listDisputes(filter: DisputeFilter): Promise<DisputePage> {
      const values: unknown[] = [];
      const param = (value: unknown) => `$${values.push(value)}`;
      const drive: string[] = [];
      const check: string[] = [];
      const indexed = filter.buyerId
        ? 'buyer'
        : filter.sellerId
          ? 'seller'
          : filter.orderId
            ? 'order'
            : filter.stage
              ? 'stage'
              : filter.agentVisible
                ? 'agent'
                : null;
      if (filter.buyerId !== undefined) (indexed === 'buyer' ? drive : check).push(`buyer_id = ${param(filter.buyerId)}`);
      if (filter.sellerId !== undefined) (indexed === 'seller' ? drive : check).push(`seller_id = ${param(filter.sellerId)}`);
      if (filter.orderId !== undefined) (indexed === 'order' ? drive : check).push(`order_id = ${param(filter.orderId)}`);
      if (filter.stage !== undefined) (indexed === 'stage' ? drive : check).push(`stage = ${param(filter.stage)}`);
      if (filter.agentVisible) (indexed === 'agent' ? drive : check).push('agent_visible');
      if (filter.statePrefix !== undefined) {
        const prefix = param(filter.statePrefix);
        check.push(`(state = ${prefix} or starts_with(state, ${prefix} || '.'))`);
      }
      if (filter.ended !== undefined) check.push(`ended = ${param(filter.ended)}`);
      if (filter.overdueAt !== undefined) check.push(`(overdue_at is not null and overdue_at <= ${param(filter.overdueAt)})`);
      drive.push(`(opened_at, id) > (${param(filter.after?.openedAt ?? '')}, ${param(filter.after?.id ?? '')})`);
      const budget = Math.max(scanBudget, filter.limit);
      const text = `select *, (${check.length ? check.join(' and ') : 'true'}) as matches from disputes where ${drive.join(' and ')} order by opened_at, id limit ${param(budget)}`;
      const { rows } = await pool.query<Row & { matches: boolean }>(text, values);
      const matched: Row[] = [];
      let last: Row | undefined;
      for (const row of rows) {
        last = row;
        if (row.matches) matched.push(row);
        if (matched.length === filter.limit) break;
      }
      const reachedEnd = rows.length < budget && matched.length < filter.limit;
      return { items: await records(matched), next: reachedEnd || !last ? null : { openedAt: last.opened_at, id: last.id } };
    },

    async agentQueue({ after, limit }: QueueFilter): Promise<{ items: DisputeRecord[]; next: QueueCursor | null }> {
      const rows: Row[] = [];
      if (!after || after.decisionDueAt !== null) {
        const due = await pool.query<Row>(
          'select * from disputes where awaits_agent and decision_due_at is not null and (decision_due_at, opened_at, id) > ($1, $2, $3) order by decision_due_at, opened_at, id limit $4',
          [after?.decisionDueAt ?? '', after?.openedAt ?? '', after?.id ?? '', limit],
        );
        rows.push(...due.rows);
      }
      if (rows.length < limit) {
        const from = after && after.decisionDueAt === null ? after : { openedAt: '', id: '' };
        const undated = await pool.query<Row>(
          'select * from disputes where awaits_agent and decision_due_at is null and (opened_at, id) > ($1, $2) order by opened_at, id limit $3',
          [from.openedAt, from.id, limit - rows.length],
        );
        rows.push(...undated.rows);
      }
      const last = rows.at(-1);
      return {
        items: await records(rows),
        next: rows.length === limit && last ? { decisionDueAt: last.decision_due_at, openedAt: last.opened_at, id: last.id } : null,
      };
    },

    async getHistory(disputeId: string, afterSeq = 0): Promise<HistoryRow[]> {
      const { rows } = await pool.query<Omit<HistoryRow, 'payload'> & { payload: string }>(
        `select seq, type, actor_role as "actorRole", actor_id as "actorId", payload, from_state as "fromState", to_state as "toState", at,
           recorded_at as "recordedAt", idempotency_key as "idempotencyKey" from dispute_events where dispute_id = $1 and seq > $2 order by seq`,
        [disputeId, afterSeq],
      );
      return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
    },
    async underived(limit: number) {
      return records((await pool.query<Row>("select * from disputes where stage = '' limit $1", [limit])).rows);
    },
    async writeDerived(rows: { id: string; version: number; columns: DerivedColumns }[]) {
      for (const { id, version, columns: c } of rows) {
        await pool.query(
          `update disputes set state = $3, stage = $4, awaiting = $5, awaits_agent = $6, agent_visible = $7, needs_attention = $8, overdue_at = $9,
             decision_due_at = $10, return_tracking = $11, ended = $12 where id = $1 and version = $2`,
          [
            id,
            version,
            c.state,
            c.stage,
            c.awaiting.join(','),
            c.awaitsAgent,
            c.agentVisible,
            c.needsAttention,
            c.overdueAt,
            c.decisionDueAt,
            c.returnTracking,
            c.ended,
          ],
        );
      }
    },
  };
}
