/**
 * Limits measured inside the benchmark's own process: what SQLite alone commits per second at
 * the service's durability (WAL, synchronous=FULL), one row per commit and many rows per commit,
 * and the bytes one bare commit adds to the files. Also the two figures the former
 * runtime.bench.ts reported: `runtime.send` in-process (no HTTP) and the pure step alone.
 */
import Database from 'better-sqlite3';
import { startInProcess } from '../arbiter.ts';
import type { FigureSink } from '../figures.ts';
import { freshPlace, type StoreKind } from '../place.ts';
import { databaseBytes, freshFolder } from '../service.ts';

/** A history-like row: a 200-byte payload, as in the former runtime.bench. */
const PAYLOAD = 'x'.repeat(200);

function openBare(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table t (id integer primary key, v integer); create table h (id integer, seq integer, body text);');
  db.prepare('insert into t values (1, 0)').run();
  const update = db.prepare('update t set v = v + 1 where id = 1');
  const insert = db.prepare('insert into h values (1, ?, ?)');
  // One "step": the dispute row updated, one history row inserted.
  const step = (i: number) => {
    update.run();
    insert.run(i, PAYLOAD);
  };
  return {
    db,
    step,
    oneCommit: db.transaction(step),
    manyCommit: db.transaction((from: number, rows: number) => {
      for (let i = from; i < from + rows; i += 1) step(i);
    }),
  };
}

/** Runs `work` repeatedly for `seconds`; returns how many units it did per second. */
function ratePer(seconds: number, work: (i: number) => number): number {
  const started = performance.now();
  let done = 0;
  while (performance.now() - started < seconds * 1000) done += work(done);
  return done / ((performance.now() - started) / 1000);
}

export function bareCommits(figures: FigureSink, seconds: number, bytesCommits: number) {
  const folder = freshFolder('bare');
  try {
    const bytes = openBare(`${folder.dir}/bytes.db`);
    const before = databaseBytes(`${folder.dir}/bytes.db`);
    for (let i = 0; i < bytesCommits; i += 1) bytes.oneCommit(i);
    const after = databaseBytes(`${folder.dir}/bytes.db`);
    bytes.db.close();
    figures.add(
      { key: 'raw.bytes', label: 'bare SQLite commit (update + insert): bytes added to db + wal', unit: 'B/commit', better: 'lower' },
      (after.db + after.wal - before.db - before.wal) / bytesCommits,
    );

    const one = openBare(`${folder.dir}/one.db`);
    const oneRate = ratePer(seconds, (i) => (one.oneCommit(i), 1));
    one.db.close();
    figures.add(
      { key: 'raw.commit1', label: 'bare SQLite, synchronous=FULL: commits/s, one step (update + insert) per commit', unit: '/s', better: 'higher' },
      oneRate,
    );

    const many = openBare(`${folder.dir}/many.db`);
    const manyRate = ratePer(seconds, (i) => (many.manyCommit(i, 100), 100));
    many.db.close();
    figures.add({ key: 'raw.commit100', label: 'bare SQLite, synchronous=FULL: steps/s, 100 steps per commit', unit: '/s', better: 'higher' }, manyRate);
  } finally {
    folder.remove();
  }
}

/** The former runtime.bench figures: the write path without HTTP, and the step without I/O, on either store. */
export async function runtimeSends(figures: FigureSink, seconds: number, store: StoreKind, pgUrl: string) {
  const place = await freshPlace(store, 'runtime', pgUrl);
  try {
    // The pure step does no I/O: measured once, with SQLite's figures.
    await measureSends(figures, seconds, await startInProcess(place), store === 'sqlite');
  } finally {
    await place.remove();
  }
}

async function measureSends(figures: FigureSink, seconds: number, runtime: Awaited<ReturnType<typeof startInProcess>>, pure: boolean) {
  try {
    for (let i = 0; i < 200; i += 1) await runtime.send(i); // warm-up: JIT, statement caches, the page cache
    const started = performance.now();
    let sent = 0;
    while (performance.now() - started < seconds * 1000) await runtime.send(sent++);
    const sendRate = sent / ((performance.now() - started) / 1000);
    figures.add(
      { key: 'runtime.send', label: 'runtime.send in-process (load, step, commit; no HTTP): events/s', unit: '/s', better: 'higher', limit: 'raw.commit1' },
      sendRate,
    );

    if (!pure) return;
    const step = await runtime.pureStep();
    for (let i = 0; i < 1_000; i += 1) step(i);
    const stepRate = ratePer(seconds, (i) => (step(i), 1));
    figures.add({ key: 'pure.step', label: 'pure step alone (restore, check, transition; no I/O): steps/s', unit: '/s', better: 'higher' }, stepRate);
  } finally {
    await runtime.stop();
  }
}
