/**
 * The bodies the benchmark sends, valid under the default policy, and the names of the parties.
 * Every dispute is `refund_only` for `not_as_described` on an item that shipped and whose delivery
 * window is still open: no shipping wait (R-OPEN-1) and protection far from ending (R-OPEN-2), so
 * a dispute opens at any instant the benchmark picks.
 */
import type { OrderRegistration } from './arbiter.ts';

const DAY = 86_400_000;

/** Item price and shipping (minor units): offers and decisions below are valid for this price. */
export const PRICE = 4000;
export const SHIPPING = 500;

/** The key the service is started with and the benchmark signs its tokens with. */
export const benchKeyRing = [{ kid: 'bench', secret: 'bench-secret-0123456789abcdefghijklmnopqrstuv' }] as const;
export const benchTokenKeys = benchKeyRing.map((k) => `${k.kid}:${k.secret}`).join(',');

/** An order of `items` items for one buyer, shipped 12 days before `nowMs`, window open 60 more days. */
export function orderRegistration(orderId: string, buyerId: string, sellerId: string, items: number, nowMs: number): OrderRegistration {
  const iso = (days: number) => new Date(nowMs + days * DAY).toISOString();
  return {
    orderId,
    buyerId,
    sellerId,
    currency: 'USD',
    paymentMethod: 'card',
    paymentInstrument: null,
    completedAt: null,
    receiptConfirmedAt: null,
    items: Array.from({ length: items }, (_, i) => ({
      itemId: itemId(i),
      price: PRICE,
      shippingCost: SHIPPING,
      digital: false,
      freeReturn: false,
      shippedAt: iso(-40),
      deliveryWindowEndsAt: iso(60),
      deliveredAt: null,
    })),
  };
}

/** The same order as the body of `PUT /orders/{orderId}` (the path carries the id). */
export function orderBody(order: OrderRegistration) {
  const { orderId: _id, completedAt: _c, receiptConfirmedAt: _r, paymentInstrument: _p, ...body } = order;
  return { ...body, items: order.items.map(({ digital: _d, freeReturn: _f, deliveredAt: _a, ...item }) => item) };
}

export const itemId = (i: number) => `item-${i}`;

/** What a buyer asks for when opening (the body of `POST /disputes` without the item). */
export const openRequest = {
  type: 'refund_only',
  reason: 'not_as_described',
  description: 'The colour is not the one in the listing',
  amount: PRICE,
} as const;

export const openBody = (orderId: string, item: string) => JSON.stringify({ orderId, itemId: item, ...openRequest });

/** The event that may be sent any number of times without changing the state (R-NEG-8). */
export const messageBody = (n: number) => JSON.stringify({ type: 'message.send', body: `Any news about my refund? (${n})` });

export const jsonHeaders = (token: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
  ...extra,
});
