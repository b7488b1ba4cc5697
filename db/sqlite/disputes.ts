/**
 * Disputes and their history on SQLite: the reads the main thread serves from its own
 * connection, and the writes of derived columns the writer thread runs. Every list is answered
 * from an index, a page at a time, after a (`opened_at`, `id`) cursor.
 */
import type { DisputeInput } from '../../machines/index.ts';
import { disputeRecord, InputCache, type DisputeRow } from '../rows.ts';
import type { DerivedColumns, DisputeFilter, DisputePage, DisputeRecord, HistoryRow, QueueCursor, QueueFilter } from '../store.ts';
import type { Sqlite } from './connection.ts';

/** The derived columns as SQL parameters. */
export function derivedParams(c: DerivedColumns) {
  return {
    state: c.state,
    stage: c.stage,
    awaiting: c.awaiting.join(','),
    awaitsAgent: c.awaitsAgent ? 1 : 0,
    agentVisible: c.agentVisible ? 1 : 0,
    needsAttention: c.needsAttention ? 1 : 0,
    overdueAt: c.overdueAt,
    decisionDueAt: c.decisionDueAt,
    returnTracking: c.returnTracking,
    ended: c.ended ? 1 : 0,
  };
}

export function disputeReads(c: Sqlite, { inputCacheSize = 10_000, scanBudget = 2_000 } = {}) {
  const inputs = new InputCache(inputCacheSize);
  const selectInput = c.prepare('select input from dispute_inputs where dispute_id = ?').pluck();
  const byId = c.prepare('select * from disputes where id = ?');
  const access = c.prepare('select id, buyer_id as buyerId, seller_id as sellerId, agent_visible as agentVisible from disputes where id = ?');
  const byItem = c.prepare('select * from disputes where order_id = ? and item_id = ?');
  const byTracking = c.prepare('select * from disputes where return_tracking = ? limit 1');
  const ids = c.prepare('select id, opened_at as openedAt from disputes where (opened_at, id) > (?, ?) order by opened_at, id limit ?');
  const any = c.prepare('select 1 from disputes limit 1').pluck();
  const history = c.prepare('select * from dispute_events where dispute_id = ? and seq > ? order by seq');
  const underived = c.prepare("select * from disputes where stage = '' limit ?");
  const queueDue = c.prepare(
    'select * from disputes where awaits_agent = 1 and decision_due_at is not null and (decision_due_at, opened_at, id) > (?, ?, ?) order by decision_due_at, opened_at, id limit ?',
  );
  const queueUndated = c.prepare(
    'select * from disputes where awaits_agent = 1 and decision_due_at is null and (opened_at, id) > (?, ?) order by opened_at, id limit ?',
  );
  const lists = new Map<string, ReturnType<typeof c.prepare>>();

  function inputOf(id: string): DisputeInput {
    const cached = inputs.get(id);
    if (cached) return cached;
    const text = selectInput.get(id) as string | undefined;
    if (text === undefined) throw new Error(`dispute ${id} has no input row`);
    return inputs.parse(id, text);
  }

  const toRecord = (row: DisputeRow): DisputeRecord => disputeRecord(row, inputOf(row.id));

  /**
   * The page's statement: the most selective indexed equality drives an ordered scan of at most
   * `scanBudget` rows after the cursor; the other filters are checked on each row it reads
   * (`matches`), so no filter can make a page read the whole table.
   */
  function listStatement(filter: DisputeFilter) {
    const drive: string[] = [];
    const check: string[] = [];
    const indexed =
      filter.buyerId !== undefined
        ? 'buyer'
        : filter.sellerId !== undefined
          ? 'seller'
          : filter.orderId !== undefined
            ? 'order'
            : filter.stage !== undefined
              ? 'stage'
              : filter.agentVisible
                ? 'agent'
                : null;
    (indexed === 'buyer' ? drive : check).push(...(filter.buyerId !== undefined ? ['buyer_id = @buyerId'] : []));
    (indexed === 'seller' ? drive : check).push(...(filter.sellerId !== undefined ? ['seller_id = @sellerId'] : []));
    (indexed === 'order' ? drive : check).push(...(filter.orderId !== undefined ? ['order_id = @orderId'] : []));
    (indexed === 'stage' ? drive : check).push(...(filter.stage !== undefined ? ['stage = @stage'] : []));
    (indexed === 'agent' ? drive : check).push(...(filter.agentVisible ? ['agent_visible = 1'] : []));
    if (filter.statePrefix !== undefined) check.push("(state = @statePrefix or substr(state, 1, length(@statePrefix) + 1) = @statePrefix || '.')");
    if (filter.ended !== undefined) check.push('ended = @ended');
    if (filter.overdueAt !== undefined) check.push('(overdue_at is not null and overdue_at <= @overdueAt)');
    drive.push('(opened_at, id) > (@afterOpenedAt, @afterId)');
    const matches = check.length ? check.join(' and ') : '1';
    const text = `select *, (${matches}) as matches from disputes where ${drive.join(' and ')} order by opened_at, id limit @budget`;
    let statement = lists.get(text);
    if (!statement) {
      statement = c.prepare(text);
      lists.set(text, statement);
    }
    return statement;
  }

  return {
    toRecord,
    getDispute(id: string) {
      const row = byId.get(id) as DisputeRow | undefined;
      return row && toRecord(row);
    },
    getAccess(id: string) {
      const row = access.get(id) as { id: string; buyerId: string; sellerId: string; agentVisible: number } | undefined;
      return row && { ...row, agentVisible: row.agentVisible === 1 };
    },
    findDisputeByItem(orderId: string, itemId: string) {
      const row = byItem.get(orderId, itemId) as DisputeRow | undefined;
      return row && toRecord(row);
    },
    findDisputeByReturnTracking(trackingNumber: string) {
      const row = byTracking.get(trackingNumber) as DisputeRow | undefined;
      return row && toRecord(row);
    },
    disputeIds(after: { openedAt: string; id: string } | undefined, limit: number) {
      return ids.all(after?.openedAt ?? '', after?.id ?? '', limit) as { id: string; openedAt: string }[];
    },
    hasDisputes: () => any.get() !== undefined,
    listDisputes(filter: DisputeFilter): DisputePage {
      const budget = Math.max(scanBudget, filter.limit);
      const params: Record<string, unknown> = { budget, afterOpenedAt: filter.after?.openedAt ?? '', afterId: filter.after?.id ?? '' };
      for (const key of ['buyerId', 'sellerId', 'orderId', 'stage', 'statePrefix', 'overdueAt'] as const)
        if (filter[key] !== undefined) params[key] = filter[key];
      if (filter.ended !== undefined) params.ended = filter.ended ? 1 : 0;
      const items: DisputeRecord[] = [];
      let last: DisputeRow | undefined;
      let scanned = 0;
      for (const row of listStatement(filter).iterate(params) as Iterable<DisputeRow & { matches: number }>) {
        scanned += 1;
        last = row;
        if (row.matches === 1) items.push(toRecord(row));
        if (items.length === filter.limit) break;
      }
      const reachedEnd = scanned < budget && items.length < filter.limit;
      return { items, next: reachedEnd || !last ? null : { openedAt: last.opened_at, id: last.id } };
    },
    agentQueue({ after, limit }: QueueFilter): { items: DisputeRecord[]; next: QueueCursor | null } {
      const rows: DisputeRow[] = [];
      if (!after || after.decisionDueAt !== null) {
        rows.push(...(queueDue.all(after?.decisionDueAt ?? '', after?.openedAt ?? '', after?.id ?? '', limit) as DisputeRow[]));
      }
      if (rows.length < limit) {
        const undatedAfter = after && after.decisionDueAt === null ? after : { openedAt: '', id: '' };
        rows.push(...(queueUndated.all(undatedAfter.openedAt, undatedAfter.id, limit - rows.length) as DisputeRow[]));
      }
      const last = rows.at(-1);
      return {
        items: rows.map(toRecord),
        next: rows.length === limit && last ? { decisionDueAt: last.decision_due_at, openedAt: last.opened_at, id: last.id } : null,
      };
    },
    getHistory(disputeId: string, afterSeq = 0): HistoryRow[] {
      return (history.all(disputeId, afterSeq) as Record<string, unknown>[]).map((r) => ({
        seq: r.seq as number,
        type: r.type as string,
        actorRole: r.actor_role as string,
        actorId: r.actor_id as string,
        payload: JSON.parse(r.payload as string) as Record<string, unknown>,
        fromState: r.from_state as string | null,
        toState: r.to_state as string,
        at: r.at as string,
        recordedAt: r.recorded_at as string,
        idempotencyKey: r.idempotency_key as string | null,
      }));
    },
    underived: (limit: number) => (underived.all(limit) as DisputeRow[]).map(toRecord),
  };
}

export type DisputeReads = ReturnType<typeof disputeReads>;

/** Writer-thread statements for the derived columns alone (re-derived after an upgrade). */
export function derivedWrites(c: Sqlite) {
  const update = c.prepare(
    `update disputes set state = @state, stage = @stage, awaiting = @awaiting, awaits_agent = @awaitsAgent, agent_visible = @agentVisible,
       needs_attention = @needsAttention, overdue_at = @overdueAt, decision_due_at = @decisionDueAt, return_tracking = @returnTracking, ended = @ended
     where id = @id and version = @version`,
  );
  return {
    writeDerived(rows: { id: string; version: number; columns: DerivedColumns }[]) {
      for (const row of rows) update.run({ id: row.id, version: row.version, ...derivedParams(row.columns) });
    },
  };
}
