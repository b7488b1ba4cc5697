/**
 * The fault loop: the service, a real process on a real SQLite file, SIGKILLed at random moments
 * under concurrent load (ARBITER_FAULT_KILLS times, at least 20 in CI), restarted, and checked
 * after each kill: every acknowledged request is in the history exactly once, nothing is applied
 * twice (requests in doubt are sent again with their Idempotency-Key), every deadline fired
 * once, and `verify` finds every dispute explained by its history. After the last restart no
 * deadline is left due.
 */
import { expect, it } from 'vitest';
import { openSqliteStore } from '../db/sqlite/index.ts';
import { verifyStore } from '../server/cli/verify.ts';
import { testKeys } from './support/api.ts';
import { FaultLoad } from './support/fault-load.ts';
import { spawnTs } from './support/processes.ts';
import { tempDir } from './support/service.ts';

const KILLS = Math.max(1, Number(process.env.ARBITER_FAULT_KILLS ?? 20));

async function checkStore(dbPath: string, load: FaultLoad, when: string, final = false) {
  const store = await openSqliteStore({ path: dbPath });
  try {
    expect(await verifyStore(store), `verify ${when}`).toMatchObject({ divergences: [] });
    const ids = new Set([...load.disputes, ...load.acknowledged.flatMap((s) => (s.disputeId ? [s.disputeId] : []))]);
    const histories = new Map(await Promise.all([...ids].map(async (id) => [id, await store.getHistory(id)] as const)));
    const rows = [...histories.values()].flat();
    const keys = rows.flatMap((h) => (h.idempotencyKey ? [h.idempotencyKey] : []));
    expect(keys.length - new Set(keys).size, `requests applied twice ${when}`).toBe(0);
    // The load's own messages carry a unique body (model steps send the sample one).
    const bodies = rows.filter((h) => h.type === 'message.send' && String(h.payload.body).startsWith('m-')).map((h) => String(h.payload.body));
    expect(bodies.length - new Set(bodies).size, `messages applied twice ${when}`).toBe(0);
    for (const sent of load.acknowledged) {
      if (sent.kind === 'open') expect(await store.getDispute(sent.disputeId!), `acknowledged opening ${when}`).toBeDefined();
      if (sent.kind === 'message')
        expect(
          bodies.filter((b) => b === sent.body),
          `acknowledged message ${sent.body} ${when}`,
        ).toHaveLength(1);
      if (sent.kind === 'step')
        expect(
          keys.filter((k) => k === sent.key),
          `acknowledged step ${sent.key} ${when}`,
        ).toHaveLength(1);
    }
    for (const [id, history] of histories) {
      const fired = history.filter((h) => h.type.startsWith('deadline.')).map((h) => `${h.type}@${h.at}`);
      expect(fired.length - new Set(fired).size, `deadlines of ${id} fired twice ${when}`).toBe(0);
    }
    if (final) {
      const fired = rows.filter((h) => h.type.startsWith('deadline.')).length;
      expect(fired, 'deadlines fired during the loop').toBeGreaterThan(0);
      console.log(
        `fault loop: ${KILLS} kills survived; ${load.requests} requests, ${load.acknowledged.length} acknowledged, ${load.retried} sent again after a kill; ${histories.size} disputes, ${rows.length} steps, ${fired} deadlines fired`,
      );
      const now = new Date(Date.now() + (await store.getClockOffset())).toISOString();
      expect(await store.dueDeadlines(now, 10), `deadlines left due ${when}`).toEqual([]);
    }
  } finally {
    await store.close();
  }
}

it(`survives ${KILLS} SIGKILLs under concurrent load, losing and repeating nothing`, async () => {
  const tmp = tempDir('arbiter-faults-');
  const env = {
    ARBITER_DB: tmp.dbPath,
    ARBITER_MODE: 'demo',
    ARBITER_TOKEN_KEYS: testKeys.map((k) => `${k.kid}:${k.secret}`).join(','),
    PORT: '0',
    ARBITER_SCHEDULER_POLL_MS: '50',
    ARBITER_LOG_LEVEL: 'error',
  };
  const load = new FaultLoad(testKeys);
  load.start(4);
  const start = async () => {
    const service = spawnTs('server/main.ts', [], env);
    const ready = await service.waitFor(/^arbiter: ready at /, 60_000);
    await load.serving(/ready at (\S+)/.exec(ready)![1]!);
    return service;
  };
  try {
    for (let kill = 1; kill <= KILLS; kill += 1) {
      const service = await start();
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 650));
      load.down();
      service.child.kill('SIGKILL');
      expect((await service.exited).signal).toBe('SIGKILL');
      await checkStore(tmp.dbPath, load, `after kill ${kill} of ${KILLS}`);
    }
    const last = await start(); // catches up on deadlines, takes the requests in doubt once more
    await load.stop();
    last.child.kill('SIGTERM');
    expect((await last.exited).code).toBe(0);
    await checkStore(tmp.dbPath, load, 'after the last restart', true);
    expect(load.acknowledged.filter((s) => s.kind === 'step').length).toBeGreaterThan(KILLS);
    expect(load.acknowledged.filter((s) => s.kind === 'message').length).toBeGreaterThan(KILLS);
  } finally {
    await load.stop();
    tmp.cleanup();
  }
}, 600_000);
