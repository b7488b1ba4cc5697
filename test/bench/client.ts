/**
 * Set-up traffic over HTTP (registering orders, opening disputes before a measurement): plain
 * fetch calls, a few at a time, each checked, with tokens minted by the service's own function.
 */
import { mintToken } from './arbiter.ts';
import { benchKeyRing, jsonHeaders, openBody, orderBody, orderRegistration } from './fixtures.ts';

type Role = Parameters<typeof mintToken>[1]['role'];

/** A token for one party, valid long enough for the whole run. */
export const token = (role: Role, sub: string) => mintToken(benchKeyRing, { role, sub }, 24 * 3600);

export async function call(url: string, method: string, path: string, bearer: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? { authorization: `Bearer ${bearer}`, ...headers } : jsonHeaders(bearer, headers),
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

/** Like `call`, but anything other than the expected status stops the benchmark with the answer. */
export async function expectCall(expected: number, ...args: Parameters<typeof call>) {
  const answer = await call(...args);
  if (answer.status !== expected) throw new Error(`set-up ${args[1]} ${args[2]} answered ${answer.status}, expected ${expected}: ${answer.text.slice(0, 500)}`);
  return answer;
}

/** Runs `work` over the items, `concurrency` at a time. */
export async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export interface OpenableItem {
  orderId: string;
  itemId: string;
  buyerToken: string;
}

/**
 * Registers `orders` orders of `itemsPerOrder` items each (`PUT /orders/{id}` as system), one
 * buyer per order, and returns their items in order: each can take exactly one dispute.
 */
export async function registerOrders(url: string, prefix: string, orders: number, itemsPerOrder: number, sellers = 50): Promise<OpenableItem[]> {
  const system = token('system', 'marketplace');
  const now = Date.now();
  const perOrder = await pool(
    Array.from({ length: orders }, (_, i) => i),
    4,
    async (i) => {
      const buyerId = `buyer-${prefix}${i}`;
      const order = orderRegistration(`order-${prefix}${i}`, buyerId, `seller-${prefix}${i % sellers}`, itemsPerOrder, now);
      await expectCall(200, url, 'PUT', `/orders/${order.orderId}`, system, orderBody(order));
      const buyerToken = token('buyer', buyerId);
      return order.items.map((item) => ({ orderId: order.orderId, itemId: item.itemId, buyerToken }));
    },
  );
  return perOrder.flat();
}

export interface OpenedDispute {
  id: string;
  buyerToken: string;
  sellerToken: string;
}

/** Opens one dispute per item over HTTP (`POST /disputes` as its buyer). */
export async function openDisputes(url: string, items: readonly OpenableItem[], concurrency = 16): Promise<OpenedDispute[]> {
  return pool(items, concurrency, async (item) => {
    const opened = (await expectCall(201, url, 'POST', '/disputes', item.buyerToken, openBody(item.orderId, item.itemId))).json();
    return { id: String(opened.id), buyerToken: item.buyerToken, sellerToken: token('seller', String(opened.sellerId)) };
  });
}
