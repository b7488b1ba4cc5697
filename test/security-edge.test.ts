/**
 * Security at the edge, against the service as a real process: oversize bodies streamed without
 * Content-Length are refused while they stream (memory measured from /proc), connection floods,
 * silent and slowloris clients are cut off, event streams are capped per party and in total and
 * carry heartbeats. Every bound is a count or an eventual close, never a timed assertion.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawConnection, spawnService, until, type SpawnedService } from './support/spawned.ts';

const DAY = 86_400_000;

/** POSTs up to `total` bytes in chunks, no Content-Length, until the server answers or hangs up. */
function streamBody(svc: SpawnedService, path: string, total: number, headers: Record<string, string> = {}) {
  return new Promise<{ status: number | undefined; sentBytes: number }>((resolve) => {
    const req = request({
      host: svc.host,
      port: svc.port,
      path,
      method: path.startsWith('/orders') ? 'PUT' : 'POST',
      headers: { 'content-type': 'application/json', ...headers },
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    let done = false;
    const finish = (status: number | undefined) => {
      if (done) return;
      done = true;
      req.destroy();
      resolve({ status, sentBytes: sent });
    };
    req.on('response', (res) => {
      res.resume();
      finish(res.statusCode);
    });
    req.on('error', () => finish(undefined));
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!done) req.end();
    };
    req.write('{"token":"');
    pump();
  });
}

async function openDispute(svc: SpawnedService) {
  const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const order = {
    buyerId: 'buyer-ana',
    sellerId: 'seller-bolt',
    currency: 'USD',
    paymentMethod: 'card',
    items: [{ itemId: 'item-1', price: 4000, shippedAt: iso(-12), deliveryWindowEndsAt: iso(18) }],
  };
  expect((await fetch(`${svc.url}/orders/o-1`, { method: 'PUT', headers: json(svc.token('system', 'shop')), body: JSON.stringify(order) })).status).toBe(200);
  const body = { orderId: 'o-1', itemId: 'item-1', type: 'refund_only', reason: 'damaged_or_defective', description: 'Broken', amount: 4000 };
  const res = await fetch(`${svc.url}/disputes`, { method: 'POST', headers: json(svc.token('buyer', 'buyer-ana')), body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('bodies', () => {
  let svc: SpawnedService;
  beforeAll(async () => {
    svc = await spawnService();
  });
  afterAll(() => svc.stop());

  it('300 MB chunked bodies are refused with 413 while they stream; the process memory stays flat', async () => {
    await fetch(`${svc.url}/healthz`); // warm
    const before = svc.memory();
    const buyer = { authorization: `Bearer ${svc.token('buyer', 'buyer-ana')}` };
    const system = { authorization: `Bearer ${svc.token('system', 'shop')}` };
    const results = await Promise.all([
      streamBody(svc, '/session', 300e6),
      streamBody(svc, '/session', 300e6),
      streamBody(svc, '/session', 300e6),
      streamBody(svc, '/disputes', 300e6, buyer),
      streamBody(svc, '/orders/o-big', 300e6, system),
    ]);
    for (const result of results) {
      expect(result.status).toBe(413);
      expect(result.sentBytes).toBeLessThan(64e6); // the server stopped reading long before the end
    }
    const after = svc.memory();
    console.log(
      `oversize bodies: 5 × 300 MB streamed, each 413 after ${Math.max(...results.map((r) => r.sentBytes / 1e6)).toFixed(1)} MB at most; peak resident ${Math.round(before.peakMiB)} → ${Math.round(after.peakMiB)} MiB`,
    );
    expect(after.peakMiB - before.peakMiB, JSON.stringify({ before, after })).toBeLessThan(64);
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
  });
});

describe('connections', () => {
  let svc: SpawnedService;
  beforeAll(async () => {
    svc = await spawnService({
      ARBITER_MAX_CONNECTIONS: '50',
      ARBITER_HEADERS_TIMEOUT_MS: '1500',
      ARBITER_REQUEST_TIMEOUT_MS: '2500',
      ARBITER_KEEPALIVE_TIMEOUT_MS: '300',
    });
  });
  afterAll(() => svc.stop());

  it('a flood of silent connections: at most the cap is held, and every one is closed', async () => {
    const flood = Array.from({ length: 200 }, () => rawConnection(svc.port, svc.host));
    await until(() => flood.filter((c) => c.isClosed()).length >= 150); // refused at once, past the cap
    expect(flood.filter((c) => !c.isClosed()).length).toBeLessThanOrEqual(50);
    await Promise.all(flood.map((c) => c.closed)); // the held ones are closed by the server, not by us
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
  });

  it('slowloris clients, dribbling headers or a body, are cut off', async () => {
    const dribblers = Array.from({ length: 10 }, (_, i) => {
      const c = rawConnection(svc.port, svc.host);
      c.socket.write(
        i % 2 ? 'GET /healthz HTTP/1.1\r\nHost: x\r\n' : 'POST /session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
      );
      const timer = setInterval(() => (c.isClosed() ? clearInterval(timer) : c.socket.write(i % 2 ? `X-Slow-${i}: y\r\n` : ' ')), 250);
      return c;
    });
    await Promise.all(dribblers.map((c) => c.closed)); // we never end them: the server does
    for (const c of dribblers) expect(c.received()).toMatch(/^$|^HTTP\/1\.1 408/);
  });

  it('an idle kept-alive connection is closed after its request', async () => {
    const c = rawConnection(svc.port, svc.host);
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 200/);
  });
});

describe('event streams', () => {
  let svc: SpawnedService;
  let id: string;
  beforeAll(async () => {
    svc = await spawnService({ ARBITER_STREAMS_PER_PRINCIPAL: '3', ARBITER_STREAMS_MAX: '10', ARBITER_STREAM_HEARTBEAT_MS: '200' });
    id = await openDispute(svc);
  });
  afterAll(() => svc.stop());

  const open = async (token: string) => {
    const controller = new AbortController();
    const res = await fetch(`${svc.url}/disputes/${id}/stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    return { res, close: () => controller.abort() };
  };

  it('are capped per party (429) and in total (503), with Retry-After; a closed one frees its place', async () => {
    const buyer = svc.token('buyer', 'buyer-ana');
    const mine = await Promise.all(Array.from({ length: 5 }, () => open(buyer)));
    expect(mine.map((s) => s.res.status).sort()).toEqual([200, 200, 200, 429, 429]);
    const refused = mine.find((s) => s.res.status === 429)!.res;
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ type: '/problems/too-many-streams' });

    const others = await Promise.all(['s1', 's2', 's3'].flatMap((sub) => Array.from({ length: 3 }, () => open(svc.token('support', sub)))));
    expect(others.filter((s) => s.res.status === 200)).toHaveLength(7); // 3 + 7 = the total of 10
    const full = others.find((s) => s.res.status === 503)!.res;
    expect(full.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await full.json()).toMatchObject({ type: '/problems/overloaded' });

    // A heartbeat arrives on an idle stream.
    const reader = mine.find((s) => s.res.status === 200)!.res.body!.getReader();
    let text = '';
    while (!text.includes('event: ping')) text += new TextDecoder().decode((await reader.read()).value);

    for (const s of [...mine, ...others]) s.close();
    await until(async () => {
      const again = await open(buyer);
      again.close();
      return again.res.status === 200;
    }, 50);
  });

  it('a flood of 2,000 stream requests holds at most the cap, and the service keeps answering', async () => {
    const before = svc.memory();
    const tokens = Array.from({ length: 20 }, (_, i) => svc.token('support', `flood-${i}`));
    const outcomes = await Promise.all(
      Array.from({ length: 2000 }, (_, i) =>
        open(tokens[i % tokens.length]!).then(
          (s) => s,
          () => undefined, // refused at the connection cap
        ),
      ),
    );
    const admitted = outcomes.filter((s) => s?.res.status === 200);
    expect(admitted.length).toBeLessThanOrEqual(10);
    expect(new Set(outcomes.map((s) => s?.res.status ?? 'refused'))).toSatisfy((codes: Set<unknown>) =>
      [...codes].every((c) => [200, 429, 503, 'refused'].includes(c as number)),
    );
    expect(svc.memory().rssMiB - before.rssMiB).toBeLessThan(150);
    // While the admitted streams are held, a reader is answered as usual.
    const reader = { authorization: `Bearer ${svc.token('buyer', 'buyer-ana')}` };
    const latencies: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const started = performance.now();
      const res = await fetch(`${svc.url}/disputes/${id}`, { headers: reader }).catch(() => undefined);
      await res?.arrayBuffer();
      if (res?.status === 200) latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `stream flood: 2,000 requested, ${admitted.length} admitted; resident ${Math.round(before.rssMiB)} → ${Math.round(svc.memory().rssMiB)} MiB; a reader meanwhile: ${latencies.length}/20 answered, p50 ${latencies[latencies.length >> 1]?.toFixed(1) ?? '–'} ms`,
    );
    for (const s of outcomes) s?.close();
    // Once the flood lets go, a reader gets in again.
    const headers = { authorization: `Bearer ${svc.token('buyer', 'buyer-ana')}` };
    await until(
      () =>
        fetch(`${svc.url}/disputes/${id}`, { headers }).then(
          (r) => r.status === 200,
          () => false,
        ),
      100,
    );
  });
});
