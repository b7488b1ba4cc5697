/**
 * Three service processes on one PostgreSQL schema, as a marketplace that outgrows one machine
 * runs them: concurrent events on the same disputes spread over all three, a storm of deadlines
 * falling due at once, one instance SIGKILLed in the middle. Nothing acknowledged is lost or
 * applied twice, every deadline fires once, every refund request and webhook is sent once (by
 * its idempotency key, its delivery id), a live view on one instance sees what another commits,
 * and `verify` finds every dispute explained by its history.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../db/postgres/index.ts';
import type { DisputeStore } from '../db/store.ts';
import { mintToken, parseKeyRing } from '../server/auth/tokens.ts';
import { verifyStore } from '../server/cli/verify.ts';
import { orderBody } from './support/bodies.ts';
import { freshSchema, postgresAvailable } from './support/postgres.ts';
import { spawnTs, type Spawned } from './support/processes.ts';
import { RECEIVER_SECRET, startReceiver, type Receiver } from './support/receiver.ts';
import { DAY_MS, tempDir } from './support/service.ts';

const DISPUTES = 24;
const EVENTS_PER_DISPUTE = 10;
const keys = 'k1:multi-instance-secret-0123456789abcdef';
const ring = parseKeyRing(keys);
const token = (role: 'system' | 'buyer' | 'seller', sub: string) => mintToken(ring, { role, sub }, 3600);
const secret = RECEIVER_SECRET;

describe.skipIf(!postgresAvailable)('three instances on one PostgreSQL', () => {
  const pg = freshSchema();
  const tmp = tempDir('arbiter-multi-');
  let receiver: Receiver;
  let store: DisputeStore;
  const instances: { process: Spawned; url: string }[] = [];

  async function start() {
    const child = spawnTs('server/main.ts', [], {
      ARBITER_MODE: 'production',
      ARBITER_TOKEN_KEYS: keys,
      ARBITER_CLOCK: 'controllable',
      DATABASE_URL: pg.url,
      ARBITER_PG_SCHEMA: pg.schema,
      // One folder for all three: the simulated payment provider's book is shared, as a real provider's is.
      ARBITER_DB: join(tmp.dir, 'arbiter.db'),
      PORT: '0',
      ARBITER_WEBHOOKS: JSON.stringify([{ id: 'shop', url: receiver.url, secret }]),
      ARBITER_SCHEDULER_POLL_MS: '100',
      ARBITER_OUTBOX_BACKOFF_MS: '50',
    });
    const url = /ready at (\S+)/.exec(await child.waitFor(/^arbiter: ready at /, 60_000))![1]!;
    instances.push({ process: child, url });
  }

  const call = (instance: number, method: string, path: string, auth: string, body?: unknown) =>
    fetch(`${instances[instance]!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    receiver = await startReceiver(secret);
    await Promise.all([start(), start(), start()]);
    store = await openPostgresStore({ url: pg.url, schema: pg.schema });
  }, 120_000);

  afterAll(async () => {
    for (const { process } of instances) process.child.kill('SIGKILL');
    await Promise.all(instances.map((i) => i.process.exited));
    await store?.close();
    await receiver?.close();
    await pg.drop();
    tmp.cleanup();
  });

  it('loses no acknowledged event, fires each deadline once, sends each effect once, across a SIGKILL', async () => {
    // Orders and disputes, opened on all three instances.
    const now = Date.now();
    const ids: string[] = [];
    for (let n = 0; n < DISPUTES; n += 1) {
      const registered = await call(
        n % 3,
        'PUT',
        `/orders/o-${n}`,
        token('system', 'shop'),
        orderBody(now, { buyerId: 'b-1', sellerId: 's-1', itemId: 'i-1', shippingCost: 0 }),
      );
      expect(registered.status).toBe(200);
      const opened = await call((n + 1) % 3, 'POST', '/disputes', token('buyer', 'b-1'), {
        orderId: `o-${n}`,
        itemId: 'i-1',
        type: 'refund_only',
        reason: 'damaged_or_defective',
        description: 'Cracked',
        amount: 4000,
      });
      expect(opened.status).toBe(201);
      ids.push(((await opened.json()) as { id: string }).id);
    }

    // A live view on instance 2 sees what instance 0 commits.
    const stream = await fetch(`${instances[2]!.url}/disputes/${ids[0]}/stream`, { headers: { authorization: `Bearer ${token('buyer', 'b-1')}` } });
    const reader = stream.body!.getReader();
    const seen = (async () => {
      let text = '';
      while (!text.includes('remote-hello')) text += new TextDecoder().decode((await reader.read()).value);
      return true;
    })();
    expect((await call(0, 'POST', `/disputes/${ids[0]}/messages`, token('buyer', 'b-1'), { body: 'remote-hello' })).status).toBe(200);
    expect(await seen).toBe(true);
    await reader.cancel();

    // Events on every dispute through every instance, twenty at a time; a third of the way, the
    // clock moves six days (every seller window falls due at once) and, while the three
    // schedulers fire them, instance 2 is killed.
    const acknowledged: { id: string; body: string }[] = [];
    const jobs = ids.flatMap((id, d) => Array.from({ length: EVENTS_PER_DISPUTE }, (_, e) => ({ id, body: `m-${d}-${e}`, instance: (d + e) % 3 })));
    let next = 0;
    let killed = false;
    async function worker() {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        if (next === Math.floor(jobs.length / 3)) await store.setClockOffset((await store.getClockOffset()) + 6 * DAY_MS);
        if (next === Math.floor(jobs.length / 3) + 5 && !killed) {
          killed = true;
          instances[2]!.process.child.kill('SIGKILL');
        }
        const response = await call(job.instance, 'POST', `/disputes/${job.id}/messages`, token('seller', 's-1'), { body: job.body }).catch(() => undefined);
        if (response?.status === 200) acknowledged.push(job);
      }
    }
    await Promise.all(Array.from({ length: 20 }, worker));
    expect(acknowledged.length).toBeGreaterThan(jobs.length / 2);

    // The two survivors take over the dead one's claims once their leases run out.
    await expect
      .poll(
        async () => {
          const dueLeft = (await store.dueDeadlines(new Date(Date.now() + 6 * DAY_MS + 60_000).toISOString(), 1000)).filter((d) => d.name === 'sellerResponse');
          const pending = (await store.listOutbox({ status: 'pending', limit: 1000 })).length;
          return dueLeft.length + pending;
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe(0);

    for (const id of ids) {
      const history = await store.getHistory(id);
      expect(history.map((h) => h.seq)).toEqual(history.map((_, i) => i + 1)); // no gap, no step twice
      expect(history.filter((h) => h.type === 'deadline.sellerResponse')).toHaveLength(1);
      expect((await store.getOutbox(id)).filter((o) => o.kind === 'requestRefund')).toHaveLength(1);
      const bodies = history.filter((h) => h.type === 'message.send').map((h) => String(h.payload.body));
      expect(new Set(bodies).size).toBe(bodies.length);
      for (const job of acknowledged.filter((j) => j.id === id)) expect(bodies).toContain(job.body);
    }
    // Each refund request reached the provider once, by its idempotency key.
    const book = new Database(join(tmp.dir, 'simulated-payments.db'), { readonly: true });
    const refunds = book.prepare("select count(*) as n, count(distinct idempotency_key) as keys from simulated_payments where kind = 'refund'").get() as {
      n: number;
      keys: number;
    };
    book.close();
    expect(refunds).toEqual({ n: DISPUTES, keys: DISPUTES });
    // Every webhook written was delivered, each delivery id received (repeats after the kill are the same id).
    const webhooks = (await store.listOutbox({ limit: 100_000 })).filter((o) => o.channel.startsWith('webhook:'));
    expect(webhooks.every((o) => o.status === 'done')).toBe(true);
    expect(new Set(receiver.unique().map((d) => d.id))).toEqual(new Set(webhooks.map((o) => o.deliveryId)));
    expect(await verifyStore(store)).toEqual({ checked: DISPUTES, divergences: [] });
  }, 180_000);
});
