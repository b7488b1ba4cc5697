/** Orders, idempotency keys, the clock's offset, readiness and queue depths on PostgreSQL. */
import type pg from 'pg';
import type { OrderItemFacts } from '../../machines/index.ts';
import type { IdempotencyRecord, OrderRegistration } from '../store.ts';
import { inTransaction } from './connection.ts';

const itemColumns = `select o.order_id as "orderId", i.item_id as "itemId", o.buyer_id as "buyerId", o.seller_id as "sellerId", o.currency,
    o.payment_method as "paymentMethod", o.payment_instrument as "paymentInstrument", o.completed_at as "completedAt",
    o.receipt_confirmed_at as "receiptConfirmedAt", i.price, i.shipping_cost as "shippingCost", i.digital, i.free_return as "freeReturn",
    i.shipped_at as "shippedAt", i.delivery_window_ends_at as "deliveryWindowEndsAt", i.delivered_at as "deliveredAt"
  from order_items i join orders o on o.order_id = i.order_id`;

export function recordQueries(pool: pg.Pool) {
  return {
    async registerOrder(order: OrderRegistration, at: string) {
      const { items, ...o } = order;
      await inTransaction(pool, async (client) => {
        await client.query(
          `insert into orders (order_id, buyer_id, seller_id, currency, payment_method, payment_instrument, completed_at, receipt_confirmed_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             on conflict (order_id) do update set buyer_id = excluded.buyer_id, seller_id = excluded.seller_id, currency = excluded.currency,
               payment_method = excluded.payment_method, payment_instrument = excluded.payment_instrument, completed_at = excluded.completed_at,
               receipt_confirmed_at = excluded.receipt_confirmed_at, updated_at = excluded.updated_at`,
          [o.orderId, o.buyerId, o.sellerId, o.currency, o.paymentMethod, o.paymentInstrument ?? null, o.completedAt, o.receiptConfirmedAt, at],
        );
        for (const i of items) {
          await client.query(
            `insert into order_items (order_id, item_id, price, shipping_cost, digital, free_return, shipped_at, delivery_window_ends_at, delivered_at, updated_at)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
               on conflict (order_id, item_id) do update set price = excluded.price, shipping_cost = excluded.shipping_cost, digital = excluded.digital,
                 free_return = excluded.free_return, shipped_at = excluded.shipped_at, delivery_window_ends_at = excluded.delivery_window_ends_at,
                 delivered_at = excluded.delivered_at, updated_at = excluded.updated_at`,
            [o.orderId, i.itemId, i.price, i.shippingCost, i.digital, i.freeReturn, i.shippedAt, i.deliveryWindowEndsAt, i.deliveredAt, at],
          );
        }
      });
    },
    async getOrderItemFacts(orderId: string, itemId: string): Promise<OrderItemFacts | undefined> {
      const { rows } = await pool.query<OrderItemFacts>(`${itemColumns} where i.order_id = $1 and i.item_id = $2`, [orderId, itemId]);
      return rows[0];
    },
    async undisputedOrderItems(buyerId: string, anchoredAfter: string, limit: number): Promise<OrderItemFacts[]> {
      const { rows } = await pool.query<OrderItemFacts>(
        `${itemColumns} where o.buyer_id = $1 and coalesce(o.completed_at, i.delivery_window_ends_at) > $2
         and not exists (select 1 from disputes d where d.order_id = i.order_id and d.item_id = i.item_id)
         order by o.order_id, i.item_id limit $3`,
        [buyerId, anchoredAfter, limit],
      );
      return rows;
    },
    async findIdempotent(caller: string, key: string) {
      const { rows } = await pool.query<IdempotencyRecord>(
        `select caller, key, request_hash as "requestHash", status_code as "statusCode", dispute_id as "disputeId", version, created_at as "createdAt"
         from idempotency_keys where caller = $1 and key = $2`,
        [caller, key],
      );
      return rows[0];
    },
    async purgeIdempotency(before: string) {
      return (await pool.query('delete from idempotency_keys where created_at <= $1', [before])).rowCount ?? 0;
    },
    async getClockOffset() {
      return (await pool.query<{ offset_ms: number }>('select offset_ms from clock_state where id = 1')).rows[0]?.offset_ms ?? 0;
    },
    async setClockOffset(offsetMs: number) {
      // The offset never moves backwards, whatever a caller asks.
      await pool.query(
        `insert into clock_state (id, offset_ms, updated_at) values (1, $1, $2)
         on conflict (id) do update set offset_ms = greatest(clock_state.offset_ms, excluded.offset_ms), updated_at = excluded.updated_at`,
        [offsetMs, new Date().toISOString()],
      );
    },
    async probeWrite() {
      await pool.query('insert into readiness (id, checked_at) values (1, $1) on conflict (id) do update set checked_at = excluded.checked_at', [
        new Date().toISOString(),
      ]);
    },
    async stats(now: string) {
      const { rows } = await pool.query<{ open: number; queue: number; due: number; pending: number }>(
        `select (select count(*) from disputes where not ended)::int as open, (select count(*) from disputes where awaits_agent)::int as queue,
           (select count(*) from deadlines where due_at <= $1)::int as due, (select count(*) from outbox where status = 'pending')::int as pending`,
        [now],
      );
      const r = rows[0]!;
      return { disputesOpen: r.open, agentQueue: r.queue, deadlinesDue: r.due, outboxPending: r.pending };
    },
  };
}
