/**
 * PostgreSQL's own limits, the counterparts of SQLite's bare commits (in-process.ts), measured
 * from the benchmark's process on one connection in a schema of its own: transactions per
 * second at the server's durability (`synchronous_commit` as configured, `on` by default: each
 * commit waits for its WAL flush), one step (an update and a 200-byte insert) per transaction and
 * 100 per transaction, each transaction sent as one query (one round trip, as the service's group
 * commit sends one statement per group), and the WAL bytes one such transaction writes.
 *
 * The server is shared: WAL written by anything else on it meanwhile is counted too, so the
 * bytes are an upper bound (the note gives the background rate measured just before).
 */
import type pg from 'pg';
import type { FigureSink } from '../figures.ts';
import { freshPostgresPlace, withClient } from '../place.ts';

const PAYLOAD = 'x'.repeat(200);
const step = (i: number) => `update t set v = v + 1 where id = 1; insert into h values (1, ${i}, '${PAYLOAD}');`;
const transaction = (from: number, steps: number) => `begin; ${Array.from({ length: steps }, (_, k) => step(from + k)).join(' ')} commit;`;

async function ratePer(seconds: number, work: (i: number) => Promise<number>): Promise<number> {
  const started = performance.now();
  let done = 0;
  while (performance.now() - started < seconds * 1000) done += await work(done);
  return done / ((performance.now() - started) / 1000);
}

const walNow = async (client: pg.Client) => (await client.query<{ lsn: string }>('select pg_current_wal_insert_lsn()::text as lsn')).rows[0]!.lsn;
const walSince = async (client: pg.Client, from: string) =>
  Number((await client.query<{ bytes: string }>('select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1)::text as bytes', [from])).rows[0]!.bytes);

/** WAL bytes the server wrote while `work` ran, and the background rate over as long just before (bytes/s). */
export async function walDuring(client: pg.Client, work: () => Promise<void>): Promise<{ bytes: number; backgroundPerS: number; seconds: number }> {
  const idleFrom = await walNow(client);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const backgroundPerS = (await walSince(client, idleFrom)) * 2;
  const from = await walNow(client);
  const started = performance.now();
  await work();
  return { bytes: await walSince(client, from), backgroundPerS, seconds: (performance.now() - started) / 1000 };
}

export async function bareCommitsPostgres(figures: FigureSink, pgUrl: string, seconds: number, bytesCommits: number) {
  const place = await freshPostgresPlace('bare', pgUrl);
  try {
    await withClient(place, async (client) => {
      await client.query(
        'create table t (id integer primary key, v integer); create table h (id integer, seq integer, body text); insert into t values (1, 0);',
      );
      const wal = await walDuring(client, async () => {
        for (let i = 0; i < bytesCommits; i += 1) await client.query(transaction(i, 1));
      });
      figures.add(
        { key: 'raw.bytes', label: 'bare PostgreSQL commit (update + insert): WAL bytes', unit: 'B/commit', better: 'lower' },
        wal.bytes / bytesCommits,
      );
      figures.note('raw.bytes', `WAL of the whole server: ${Math.round(wal.backgroundPerS)} B/s were written by others just before`);
      const one = await ratePer(seconds, async (i) => (await client.query(transaction(i, 1)), 1));
      figures.add(
        { key: 'raw.commit1', label: 'bare PostgreSQL, one connection: commits/s, one step (update + insert) per commit', unit: '/s', better: 'higher' },
        one,
      );
      const many = await ratePer(seconds, async (i) => (await client.query(transaction(i, 100)), 100));
      figures.add({ key: 'raw.commit100', label: 'bare PostgreSQL, one connection: steps/s, 100 steps per commit', unit: '/s', better: 'higher' }, many);
    });
  } finally {
    await place.remove();
  }
}
