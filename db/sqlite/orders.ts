/** Orders and their items on SQLite: the facts a dispute copies when it opens (R-GEN-3). */
import type { OrderItemFacts } from '../../machines/index.ts';
import type { OrderRegistration } from '../store.ts';
import type { Sqlite } from './connection.ts';

export function orderReads(c: Sqlite) {
  const columns = `select o.order_id as orderId, i.item_id as itemId, o.buyer_id as buyerId, o.seller_id as sellerId, o.currency, o.payment_method as paymentMethod,
            o.payment_instrument as paymentInstrument, o.completed_at as completedAt, o.receipt_confirmed_at as receiptConfirmedAt,
            i.price, i.shipping_cost as shippingCost, i.digital, i.free_return as freeReturn, i.shipped_at as shippedAt,
            i.delivery_window_ends_at as deliveryWindowEndsAt, i.delivered_at as deliveredAt
       from order_items i join orders o on o.order_id = i.order_id`;
  const facts = c.prepare(`${columns} where i.order_id = ? and i.item_id = ?`);
  const undisputed = c.prepare(
    `${columns} where o.buyer_id = ? and coalesce(o.completed_at, i.delivery_window_ends_at) > ?
         and not exists (select 1 from disputes d where d.order_id = i.order_id and d.item_id = i.item_id)
       order by o.order_id, i.item_id limit ?`,
  );
  type Row = Omit<OrderItemFacts, 'digital' | 'freeReturn'> & { digital: number; freeReturn: number };
  const toFacts = (row: Row): OrderItemFacts => ({ ...row, digital: row.digital === 1, freeReturn: row.freeReturn === 1 });
  return {
    getOrderItemFacts(orderId: string, itemId: string): OrderItemFacts | undefined {
      const row = facts.get(orderId, itemId) as Row | undefined;
      return row && toFacts(row);
    },
    undisputedOrderItems(buyerId: string, anchoredAfter: string, limit: number): OrderItemFacts[] {
      return (undisputed.all(buyerId, anchoredAfter, limit) as Row[]).map(toFacts);
    },
  };
}

/** Writer-thread statements: an order and its items are registered or updated together. */
export function orderWrites(c: Sqlite) {
  const upsertOrder = c.prepare(
    `insert into orders (order_id, buyer_id, seller_id, currency, payment_method, payment_instrument, completed_at, receipt_confirmed_at, updated_at)
     values (@orderId, @buyerId, @sellerId, @currency, @paymentMethod, @paymentInstrument, @completedAt, @receiptConfirmedAt, @at)
     on conflict (order_id) do update set buyer_id = excluded.buyer_id, seller_id = excluded.seller_id, currency = excluded.currency,
       payment_method = excluded.payment_method, payment_instrument = excluded.payment_instrument, completed_at = excluded.completed_at,
       receipt_confirmed_at = excluded.receipt_confirmed_at, updated_at = excluded.updated_at`,
  );
  const upsertItem = c.prepare(
    `insert into order_items (order_id, item_id, price, shipping_cost, digital, free_return, shipped_at, delivery_window_ends_at, delivered_at, updated_at)
     values (@orderId, @itemId, @price, @shippingCost, @digital, @freeReturn, @shippedAt, @deliveryWindowEndsAt, @deliveredAt, @at)
     on conflict (order_id, item_id) do update set price = excluded.price, shipping_cost = excluded.shipping_cost, digital = excluded.digital,
       free_return = excluded.free_return, shipped_at = excluded.shipped_at, delivery_window_ends_at = excluded.delivery_window_ends_at,
       delivered_at = excluded.delivered_at, updated_at = excluded.updated_at`,
  );
  return {
    registerOrder(order: OrderRegistration, at: string) {
      const { items, ...facts } = order;
      upsertOrder.run({ ...facts, paymentInstrument: facts.paymentInstrument ?? null, at });
      for (const item of items) upsertItem.run({ ...item, orderId: order.orderId, digital: item.digital ? 1 : 0, freeReturn: item.freeReturn ? 1 : 0, at });
    },
  };
}
