/**
 * The browser tests' own orders and disputes, made through the API: a kettle bought by a demo
 * buyer from seller-bolt, a dispute opened on it, events sent by the demo parties.
 */
import { expect } from 'vitest';
import type { Api } from './api.ts';

const DAY = 86_400_000;

export function kettles(api: () => Api) {
  /** An order of one kettle ($35.00 + $4.00 shipping), shipped some days ago, its delivery window open 18 days more. */
  async function registerOrder(orderId: string, { buyerId = 'buyer-ana', shippedDaysAgo = 12 } = {}) {
    const now = Date.parse(api().service.clock.now());
    const registered = await api().request('PUT', `/orders/${orderId}`, {
      token: api().token('system', 'marketplace'),
      body: {
        buyerId,
        sellerId: 'seller-bolt',
        currency: 'USD',
        paymentMethod: 'card',
        items: [
          {
            itemId: 'kettle',
            price: 3500,
            shippingCost: 400,
            shippedAt: new Date(now - shippedDaysAgo * DAY).toISOString(),
            deliveryWindowEndsAt: new Date(now + 18 * DAY).toISOString(),
          },
        ],
      },
    });
    expect(registered.status).toBe(200);
  }

  /** A dispute on a new kettle order: damaged, a refund of the item's price asked. */
  async function openByApi(orderId: string, buyerId = 'buyer-ana') {
    await registerOrder(orderId, { buyerId });
    const opened = await api().request('POST', '/disputes', {
      token: api().token('buyer', buyerId),
      body: { orderId, itemId: 'kettle', type: 'refund_only', reason: 'damaged_or_defective', description: 'Cracked lid', amount: 3500 },
    });
    expect(opened.status).toBe(201);
    return opened.body.id as string;
  }

  async function send(id: string, role: 'buyer' | 'seller' | 'agent', sub: string, body: object) {
    const sent = await api().request('POST', `/disputes/${id}/events`, { token: api().token(role, sub), body });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  }

  return { registerOrder, openByApi, send };
}
