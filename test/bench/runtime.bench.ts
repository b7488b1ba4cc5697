/**
 * `npm run bench`: the write path's cost on this machine, each figure beside its baseline
 * measured in the same run. Baselines: a bare better-sqlite3 commit (update + insert) at the
 * same durability; the pure step alone.
 */
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import type { Actor } from '../../machines/index.ts';
import { eventStep, load } from '../../server/runtime/step.ts';
import { startService } from '../../server/service.ts';
import { notReceived, sampleOrder, tempDir, testConfig } from '../support/service.ts';

const N = Number(process.env.BENCH_EVENTS ?? 3000);
const buyer: Actor = { role: 'buyer', id: 'buyer-1' };

function report(name: string, count: number, ms: number, latencies?: number[]) {
  const perSecond = Math.round((count / ms) * 1000);
  let line = `${name.padEnd(48)} ${String(perSecond).padStart(8)} /s  (${count} in ${ms.toFixed(0)} ms)`;
  if (latencies) {
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(3);
    line += `  p50 ${q(0.5)} ms  p99 ${q(0.99)} ms`;
  }
  console.log(line);
}

function bareCommits(path: string, synchronous: 'FULL' | 'NORMAL') {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec('create table if not exists t (id integer primary key, v integer); create table if not exists h (id integer, seq integer, body text);');
  db.prepare('insert or ignore into t values (1, 0)').run();
  const update = db.prepare('update t set v = v + 1 where id = 1');
  const insert = db.prepare('insert into h values (1, ?, ?)');
  const step = db.transaction((i: number) => {
    update.run();
    insert.run(i, 'x'.repeat(200));
  });
  const start = performance.now();
  for (let i = 0; i < N; i += 1) step(i);
  report(`baseline: bare commit, synchronous=${synchronous}`, N, performance.now() - start);
  db.close();
}

async function runtimeSends(durability: 'full' | 'normal') {
  const tmp = tempDir('arbiter-bench-');
  const service = await startService({ ...testConfig(tmp.dbPath), durability });
  await service.scheduler.stop();
  await service.store.registerOrder(sampleOrder(service.clock.now()), service.clock.now());
  const opened = await service.runtime.open('order-1', 'item-1', notReceived, buyer);
  if (!opened.ok) throw new Error(JSON.stringify(opened.error));
  const id = opened.dispute.id;
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < N; i += 1) {
    const t = performance.now();
    const result = await service.runtime.send(id, { type: 'message.send', body: `m${i}` }, buyer);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    latencies.push(performance.now() - t);
  }
  report(`runtime.send (load, step, commit), durability=${durability}`, N, performance.now() - start, latencies);

  // The pure step alone, on the last stored record.
  const loaded = load((await service.store.getDispute(id))!);
  const pureStart = performance.now();
  for (let i = 0; i < N; i += 1) eventStep(loaded, { type: 'message.send', body: `p${i}` }, buyer, service.clock.now());
  report('baseline: pure step (check, transition, persist)', N, performance.now() - pureStart);
  await service.stop();
  tmp.cleanup();
}

const tmp = tempDir('arbiter-bench-');
console.log(`node ${process.version}, ${N} events per figure`);
bareCommits(`${tmp.dir}/full.db`, 'FULL');
await runtimeSends('full');
bareCommits(`${tmp.dir}/normal.db`, 'NORMAL');
await runtimeSends('normal');
tmp.cleanup();
