/**
 * PostgreSQL going away and coming back, for real: the service reaches the database through a
 * TCP proxy the test cuts and restores. While it is cut, writes and reads answer 503 problems
 * and nothing is acknowledged; once it is back, the service recovers without a restart, and
 * every acknowledged event is in the history once.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from './support/api.ts';
import { orderBody } from './support/bodies.ts';
import { freshSchema, postgresAvailable } from './support/postgres.ts';

/** A TCP proxy to PostgreSQL that can be cut (every connection dropped, none accepted) and restored. */
async function startProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    get port() {
      return port;
    },
    async cut() {
      await new Promise<void>((resolve) => {
        server!.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    restore: listen,
  };
}

describe.skipIf(!postgresAvailable)('PostgreSQL unreachable', () => {
  const pg = freshSchema();
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let api: Api;

  beforeAll(async () => {
    proxy = await startProxy({ host: '127.0.0.1', port: Number(new URL(pg.url).port || 5432) });
    const url = new URL(pg.url);
    url.port = String(proxy.port);
    api = await startApi({ config: { databaseUrl: url.toString(), pgSchema: pg.schema } });
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await pg.drop();
  });

  it('answers 503 while the database is cut, changes nothing, and recovers when it returns', async () => {
    const system = api.token('system', 'shop');
    const buyer = api.token('buyer', 'b-1');
    const now = Date.parse(api.service.clock.now());
    const order = orderBody(now, { buyerId: 'b-1', sellerId: 's-1', itemId: 'i-1', shippingCost: 0 });
    expect((await api.request('PUT', '/orders/o-1', { token: system, body: order })).status).toBe(200);
    const opened = await api.request('POST', '/disputes', {
      token: buyer,
      body: { orderId: 'o-1', itemId: 'i-1', type: 'refund_only', reason: 'damaged_or_defective', description: 'Cracked', amount: 4000 },
    });
    const id = opened.body.id as string;
    expect((await api.request('POST', `/disputes/${id}/messages`, { token: buyer, body: { body: 'before' } })).status).toBe(200);

    await proxy.cut();
    const during = await api.request('POST', `/disputes/${id}/messages`, { token: buyer, body: { body: 'during' } });
    expect(during).toMatchObject({ status: 503, body: { type: '/problems/unavailable' } });
    expect((await api.request('GET', `/disputes/${id}`, { token: buyer })).status).toBe(503);
    expect((await api.request('GET', '/readyz')).status).toBe(503);

    await proxy.restore();
    await expect.poll(async () => (await api.request('GET', '/readyz')).status, { timeout: 20_000, interval: 250 }).toBe(200);
    expect((await api.request('POST', `/disputes/${id}/messages`, { token: buyer, body: { body: 'after' } })).status).toBe(200);
    const history = await api.request('GET', `/disputes/${id}/history`, { token: buyer });
    expect(history.body.items.filter((h: { type: string }) => h.type === 'message.send').map((h: { payload: { body: string } }) => h.payload.body)).toEqual([
      'before',
      'after',
    ]);
  }, 90_000);
});
