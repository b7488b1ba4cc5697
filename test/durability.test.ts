/**
 * Real processes on a real SQLite file, and on a real PostgreSQL schema: a SIGKILL mid-load
 * loses no acknowledged step and duplicates none; deadlines that fell due while the service was
 * down fire once at start; two processes writing one dispute lose no update.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../db/open.ts';
import { verifyStore } from '../server/cli/verify.ts';
import { spawnTs } from './support/processes.ts';
import { DAY_MS, tempDir } from './support/service.ts';
import { RECEIVER_SECRET, startReceiver } from './support/receiver.ts';
import { mintToken, parseKeyRing } from '../server/auth/tokens.ts';
import { freshSchema, postgresAvailable } from './support/postgres.ts';

let tmp: ReturnType<typeof tempDir>;
let pg: ReturnType<typeof freshSchema> | undefined;
/** What a process needs to find the store: the file always (evidence, keys), PostgreSQL's schema when used. */
let storeEnv: Record<string, string> = {};
const openTestStore = () => openStore({ dbPath: tmp.dbPath, durability: 'full', databaseUrl: pg?.url, pgSchema: pg?.schema });

const backends = [
  { name: 'sqlite', postgres: false, skip: false },
  { name: 'postgres', postgres: true, skip: !postgresAvailable },
];

describe.each(backends)('on $name', (backend) => {
  beforeEach((context) => {
    if (backend.skip) return context.skip();
    tmp = tempDir('arbiter-durability-');
    pg = backend.postgres ? freshSchema() : undefined;
    storeEnv = pg ? { DATABASE_URL: pg.url, ARBITER_PG_SCHEMA: pg.schema } : {};
  });
  afterEach(async () => {
    if (backend.skip) return;
    tmp.cleanup();
    await pg?.drop();
  });

  describe('crash safety', () => {
    it('after SIGKILL mid-load, every acknowledged step is there once, and replay equals the snapshots', async () => {
      const driver = spawnTs('test/support/driver.ts', ['load', tmp.dbPath, '8'], storeEnv);
      await driver.waitFor(/^ACK \S+ \d+ m-400$/, 60_000);
      driver.child.kill('SIGKILL');
      const { signal } = await driver.exited;
      expect(signal).toBe('SIGKILL');

      const acks = driver.lines.filter((l) => l.startsWith('ACK ')).map((l) => l.split(' ') as [string, string, string, string]);
      expect(acks.length).toBeGreaterThan(400);

      const store = await openTestStore();
      try {
        for (const [, id, version, body] of acks) {
          const history = await store.getHistory(id);
          const row = history.find((h) => h.seq === Number(version));
          expect(row, `acknowledged ${id}@${version}`).toBeDefined();
          if (body !== 'opened') expect(row!.payload).toEqual({ body });
        }
        const ids = [...new Set(acks.map(([, id]) => id))];
        const bodies: string[] = [];
        for (const id of ids) {
          const history = await store.getHistory(id);
          expect(history.map((h) => h.seq)).toEqual(history.map((_, i) => i + 1));
          bodies.push(...history.filter((h) => h.type === 'message.send').map((h) => String(h.payload.body)));
        }
        expect(new Set(bodies).size).toBe(bodies.length); // none applied twice
        expect(await verifyStore(store)).toEqual({ checked: ids.length, divergences: [] });
      } finally {
        await store.close();
      }
    }, 90_000);
  });

  describe('deadlines across downtime', () => {
    it('a seller window that passed while the service was down refunds exactly once at start', async () => {
      const opener = spawnTs('test/support/driver.ts', ['open', tmp.dbPath], storeEnv);
      const id = (await opener.waitFor(/^OPENED /)).split(' ')[1]!;
      expect((await opener.exited).code).toBe(0);

      const env = { ARBITER_DB: tmp.dbPath, ARBITER_MODE: 'demo', PORT: '0', ...storeEnv };
      const first = spawnTs('server/main.ts', [], env);
      expect(await first.waitFor(/^arbiter: ready/)).toContain('0 deadlines caught up');
      first.child.kill('SIGTERM');
      expect((await first.exited).code).toBe(0);

      // The service is down while six days pass.
      const store = await openTestStore();
      await store.setClockOffset((await store.getClockOffset()) + 6 * DAY_MS);
      const dueAt = (await store.getDeadlines(id)).find((d) => d.name === 'sellerResponse')!.dueAt;
      await store.close();

      const second = spawnTs('server/main.ts', [], env);
      expect(await second.waitFor(/^arbiter: ready/)).toContain('1 deadlines caught up');
      second.child.kill('SIGTERM');
      await second.exited;
      const third = spawnTs('server/main.ts', [], env);
      expect(await third.waitFor(/^arbiter: ready/)).toContain('0 deadlines caught up');
      third.child.kill('SIGTERM');
      await third.exited;

      const after = await openTestStore();
      try {
        const history = await after.getHistory(id);
        expect(history.filter((h) => h.type === 'deadline.sellerResponse')).toEqual([expect.objectContaining({ at: dueAt })]);
        expect((await after.getDispute(id))?.state).toBe('resolving.decision.final + resolving.payout.settlement.requested');
        expect((await after.getOutbox(id)).filter((o) => o.kind === 'requestRefund')).toHaveLength(1);
        // The clock never moves backwards: a smaller offset is ignored.
        await after.setClockOffset(0);
        expect(await after.getClockOffset()).toBeGreaterThanOrEqual(6 * DAY_MS);
      } finally {
        await after.close();
      }
    }, 90_000);
  });

  describe('two processes on one database file', () => {
    it('interleaved writes to the same dispute lose no update', async () => {
      const opener = spawnTs('test/support/driver.ts', ['open', tmp.dbPath], storeEnv);
      const id = (await opener.waitFor(/^OPENED /)).split(' ')[1]!;
      await opener.exited;

      const a = spawnTs('test/support/driver.ts', ['hammer', tmp.dbPath, id, '150', 'buyer', 'buyer-1', 'seller-1'], storeEnv);
      const b = spawnTs('test/support/driver.ts', ['hammer', tmp.dbPath, id, '150', 'seller', 'seller-1', 'buyer-1'], storeEnv);
      await Promise.all([a.waitFor(/^READY$/), b.waitFor(/^READY$/)]);
      writeFileSync(`${tmp.dbPath}.go`, '');
      const [ea, eb] = await Promise.all([a.exited, b.exited]);
      expect([ea.code, eb.code], a.stderr() + b.stderr()).toEqual([0, 0]);

      const store = await openTestStore();
      try {
        const history = await store.getHistory(id);
        expect(history).toHaveLength(301);
        expect(history.map((h) => h.seq)).toEqual(history.map((_, i) => i + 1));
        const bodies = history.filter((h) => h.type === 'message.send').map((h) => String(h.payload.body));
        expect(new Set(bodies).size).toBe(300);
        // Neither process wrote all its steps in one run: the hammers meet every 25 steps, so this
        // holds by construction; it checks the meetings took place (between them both race).
        const runs = history.slice(1).reduce((n, h, i, all) => (i > 0 && all[i - 1]!.actorId !== h.actorId ? n + 1 : n), 1);
        expect(runs).toBeGreaterThan(2);
        const acked = [...a.lines, ...b.lines].filter((l) => l.startsWith('ACK ')).map((l) => Number(l.split(' ')[2]));
        expect(new Set(acked).size).toBe(300); // every acknowledgement names a distinct version
        expect(await verifyStore(store)).toEqual({ checked: 1, divergences: [] });
      } finally {
        await store.close();
      }
    }, 90_000);
  });

  describe('effects across a crash', () => {
    it('a SIGKILL between commit and delivery still delivers every webhook; the receiver sees each once by delivery id', async () => {
      const secret = RECEIVER_SECRET;
      const receiver = await startReceiver(secret);
      let hang = true;
      receiver.answer = async (delivery) => {
        if (hang && delivery.event === 'dispute.updated') await new Promise((r) => setTimeout(r, 4000)); // the service dies meanwhile
        return 200;
      };
      const keys = 'k1:durability-secret-0123456789abcdefghij';
      const env = {
        ARBITER_DB: tmp.dbPath,
        ARBITER_MODE: 'production',
        ARBITER_TOKEN_KEYS: keys,
        ARBITER_CLOCK: 'controllable',
        PORT: '0',
        ARBITER_WEBHOOKS: JSON.stringify([{ id: 'shop', url: receiver.url, secret }]),
        ARBITER_OUTBOX_BACKOFF_MS: '50',
        ...storeEnv,
      };
      const ring = parseKeyRing(keys);
      const token = (role: 'system' | 'buyer' | 'seller', sub: string) => mintToken(ring, { role, sub }, 600);
      try {
        const first = spawnTs('server/main.ts', [], env);
        const url = /ready at (\S+)/.exec(await first.waitFor(/^arbiter: ready at /))![1]!;
        const call = (method: string, path: string, t: string, body: unknown) =>
          fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const now = Date.now();
        await call('PUT', '/orders/o-crash', token('system', 'shop'), {
          buyerId: 'b-1',
          sellerId: 's-1',
          currency: 'USD',
          paymentMethod: 'card',
          items: [
            {
              itemId: 'i-1',
              price: 4000,
              shippedAt: new Date(now - 12 * DAY_MS).toISOString(),
              deliveryWindowEndsAt: new Date(now + 18 * DAY_MS).toISOString(),
            },
          ],
        });
        const opened = await call('POST', '/disputes', token('buyer', 'b-1'), {
          orderId: 'o-crash',
          itemId: 'i-1',
          type: 'refund_only',
          reason: 'damaged_or_defective',
          description: 'x',
          amount: 4000,
        });
        const id = ((await opened.json()) as { id: string }).id;
        const sent = await call('POST', `/disputes/${id}/events`, token('seller', 's-1'), { type: 'seller.counterOffer', amount: 1000 });
        expect(sent.status).toBe(200); // acknowledged: committed with its delivery in the outbox

        await receiver.waitFor((all) => all.some((d) => d.event === 'dispute.updated'));
        first.child.kill('SIGKILL'); // mid-delivery: the row is still pending
        await first.exited;
        hang = false;

        const second = spawnTs('server/main.ts', [], env);
        await second.waitFor(/^arbiter: ready at /);
        await receiver.waitFor((all) => all.filter((d) => d.event === 'dispute.updated').length >= 2);
        second.child.kill('SIGTERM');
        await second.exited;

        const mine = receiver.received.filter((d) => d.body.data.disputeId === id);
        const updated = mine.filter((d) => d.event === 'dispute.updated');
        expect(updated.length).toBe(2);
        expect(new Set(updated.map((d) => d.id)).size).toBe(1); // the same delivery, sent again
        expect(
          receiver
            .unique()
            .filter((d) => d.body.data.disputeId === id)
            .map((d) => [d.event, d.body.data.seq]),
        ).toEqual([
          ['dispute.created', 1],
          ['dispute.updated', 2],
        ]);
        expect(mine.every((d) => d.signatureValid)).toBe(true);
      } finally {
        await receiver.close();
      }
    }, 90_000);
  });
});
