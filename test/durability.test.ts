/**
 * Real processes on a real SQLite file: a SIGKILL mid-load loses no acknowledged step and
 * duplicates none; deadlines that fell due while the service was down fire once at start;
 * two processes writing one dispute lose no update.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../db/store.ts';
import { verifyStore } from '../server/verify.ts';
import { spawnTs } from './support/processes.ts';
import { DAY_MS, tempDir } from './support/service.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('arbiter-durability-');
});
afterEach(() => tmp.cleanup());

describe('crash safety', () => {
  it('after SIGKILL mid-load, every acknowledged step is there once, and replay equals the snapshots', async () => {
    const driver = spawnTs('test/support/driver.ts', ['load', tmp.dbPath, '8']);
    await driver.waitFor(/^ACK \S+ \d+ m-400$/, 60_000);
    driver.child.kill('SIGKILL');
    const { signal } = await driver.exited;
    expect(signal).toBe('SIGKILL');

    const acks = driver.lines.filter((l) => l.startsWith('ACK ')).map((l) => l.split(' ') as [string, string, string, string]);
    expect(acks.length).toBeGreaterThan(400);

    const store = openSqliteStore({ path: tmp.dbPath });
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
    const opener = spawnTs('test/support/driver.ts', ['open', tmp.dbPath]);
    const id = (await opener.waitFor(/^OPENED /)).split(' ')[1]!;
    expect((await opener.exited).code).toBe(0);

    const env = { ARBITER_DB: tmp.dbPath, ARBITER_MODE: 'demo', PORT: '0' };
    const first = spawnTs('server/main.ts', [], env);
    expect(await first.waitFor(/^arbiter: ready/)).toContain('0 deadlines caught up');
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    // The service is down while six days pass.
    const store = openSqliteStore({ path: tmp.dbPath });
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

    const after = openSqliteStore({ path: tmp.dbPath });
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
    const opener = spawnTs('test/support/driver.ts', ['open', tmp.dbPath]);
    const id = (await opener.waitFor(/^OPENED /)).split(' ')[1]!;
    await opener.exited;

    const a = spawnTs('test/support/driver.ts', ['hammer', tmp.dbPath, id, '150', 'buyer', 'buyer-1']);
    const b = spawnTs('test/support/driver.ts', ['hammer', tmp.dbPath, id, '150', 'seller', 'seller-1']);
    const [ea, eb] = await Promise.all([a.exited, b.exited]);
    expect([ea.code, eb.code], a.stderr() + b.stderr()).toEqual([0, 0]);

    const store = openSqliteStore({ path: tmp.dbPath });
    try {
      const history = await store.getHistory(id);
      expect(history).toHaveLength(301);
      expect(history.map((h) => h.seq)).toEqual(history.map((_, i) => i + 1));
      const bodies = history.filter((h) => h.type === 'message.send').map((h) => String(h.payload.body));
      expect(new Set(bodies).size).toBe(300);
      // Both really interleaved: neither process wrote all its steps in one run.
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
