/**
 * Demo data for `npm start`: a few orders and disputes in different states, so every page and
 * endpoint has something to show. Seeded only into an empty database.
 */
import type { Actor } from '../../machines/index.ts';
import type { OrderRegistration } from '../../db/store.ts';
import { disputableItems } from '../queries/orders.ts';
import type { Service } from '../service.ts';

const DAY = 86_400_000;

/** The demo's parties, with the shell variable each one's printed token goes into. */
export const demoParties = {
  buyer: { role: 'buyer', sub: 'buyer-ana', variable: 'BUYER' },
  otherBuyer: { role: 'buyer', sub: 'buyer-ben', variable: 'OTHER_BUYER' },
  seller: { role: 'seller', sub: 'seller-bolt', variable: 'SELLER' },
  agent: { role: 'agent', sub: 'agent-kim', variable: 'AGENT' },
  secondAgent: { role: 'agent', sub: 'agent-lee', variable: 'AGENT2' },
  support: { role: 'support', sub: 'support-sam', variable: 'SUPPORT' },
  system: { role: 'system', sub: 'marketplace', variable: 'SYSTEM' },
  admin: { role: 'admin', sub: 'admin', variable: 'ADMIN' },
} as const;

function order(orderId: string, buyerId: string, now: number, items: OrderRegistration['items']): OrderRegistration {
  return { orderId, buyerId, sellerId: demoParties.seller.sub, currency: 'USD', paymentMethod: 'card', completedAt: null, receiptConfirmedAt: null, items };
}

function item(itemId: string, price: number, now: number, extra: Partial<OrderRegistration['items'][number]> = {}) {
  const iso = (days: number) => new Date(now + days * DAY).toISOString();
  return {
    itemId,
    price,
    shippingCost: 500,
    digital: false,
    freeReturn: false,
    shippedAt: iso(-12),
    deliveryWindowEndsAt: iso(18),
    deliveredAt: iso(-2),
    ...extra,
  };
}

/** Returns the ids of the disputes it opened, or [] when the database already had disputes. */
export async function seedDemo(service: Service): Promise<string[]> {
  const { store, runtime, clock } = service;
  if (await store.hasDisputes()) return [];
  const now = Date.parse(clock.now());
  const at = clock.now();
  const ana: Actor = { role: 'buyer', id: demoParties.buyer.sub };
  const ben: Actor = { role: 'buyer', id: demoParties.otherBuyer.sub };
  const bolt: Actor = { role: 'seller', id: demoParties.seller.sub };
  await store.registerOrder(order('order-1001', ana.id, now, [item('jacket', 4000, now), item('scarf', 1200, now)]), at);
  await store.registerOrder(order('order-1002', ana.id, now, [item('headphones', 8900, now)]), at);
  await store.registerOrder(order('order-1003', ben.id, now, [item('lamp', 2500, now, { freeReturn: true })]), at);
  await store.registerOrder(order('order-1004', ben.id, now, [item('charger', 1900, now, { deliveredAt: null })]), at);

  const opened: string[] = [];
  const open = async (by: Actor, orderId: string, itemId: string, request: Parameters<typeof runtime.open>[2]) => {
    const result = await runtime.open(orderId, itemId, request, by);
    if (!result.ok) throw new Error(`demo seed: ${JSON.stringify(result.error)}`);
    opened.push(result.dispute.id);
    return result.dispute.id;
  };
  const send = async (id: string, by: Actor, event: Record<string, unknown>) => {
    const result = await runtime.send(id, event, by);
    if (!result.ok) throw new Error(`demo seed: ${JSON.stringify(result.error)}`);
  };

  // 1. Waiting for the seller's answer.
  await open(ana, 'order-1001', 'jacket', {
    type: 'refund_only',
    reason: 'not_as_described',
    reasonDetail: 'colour_or_size',
    description: 'Ordered blue, received green.',
    amount: 4000,
    includeShipping: false,
    itemUnusable: false,
  });
  // 2. Escalated: the seller rejected, the buyer asked the platform to decide.
  const escalated = await open(ana, 'order-1002', 'headphones', {
    type: 'refund_only',
    reason: 'damaged_or_defective',
    description: 'Left earcup is silent.',
    amount: 8900,
    includeShipping: true,
    itemUnusable: true,
  });
  await send(escalated, bolt, { type: 'seller.reject', reason: 'Worked when shipped.' });
  await send(escalated, ana, { type: 'buyer.escalate', reason: 'The seller will not help.' });
  // 3. Return leg: the seller accepted a full refund with return; the buyer must ship the lamp back.
  const returning = await open(ben, 'order-1003', 'lamp', {
    type: 'return_and_refund',
    reason: 'damaged_or_defective',
    description: 'The shade arrived cracked.',
    amount: 2500,
    includeShipping: false,
    itemUnusable: false,
  });
  await send(returning, bolt, { type: 'seller.accept' });
  // 4. A counter-offer waiting for the buyer.
  const countered = await open(ben, 'order-1004', 'charger', {
    type: 'refund_only',
    reason: 'not_received',
    description: 'Tracking stopped at customs.',
    amount: 1900,
    includeShipping: true,
    itemUnusable: false,
  });
  await send(countered, bolt, { type: 'seller.counterOffer', amount: 950, note: 'Half now; it may still arrive.' });
  return opened;
}

/** One line per demo buyer: the order items they may still dispute (none disputed yet, inside buyer protection). */
export async function disputableByBuyer(service: Service): Promise<string[]> {
  const now = service.clock.now();
  const buyers = Object.values(demoParties).filter((p) => p.role === 'buyer');
  return Promise.all(
    buyers.map(async (p) => {
      const items = await disputableItems(service.store, service.config.policy, p.sub, now);
      return `  ${`${p.role} ${p.sub}`.padEnd(22)} ${items.length ? items.map((i) => `${i.orderId} · ${i.itemId}`).join(', ') : 'none'}`;
    }),
  );
}
