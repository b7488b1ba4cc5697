/**
 * What the deadline storm reads beside the running service, on either store: whether every
 * storm deadline fired and every refund it queued went out, when each deadline fired (its
 * history row's commit time) and when the last refund was handed to the payment provider.
 * SQLite is read through a read-only connection (WAL lets it in without blocking the writer);
 * PostgreSQL through one connection of its own, whose answers arrive asynchronously: `settled()`
 * is polled by the load generator every 250 ms, so it returns what the last check found and
 * starts the next one.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Place } from '../place.ts';

export interface StormProbe {
  settled(): boolean;
  /** Epoch milliseconds at which each storm deadline's firing was recorded. */
  fired(): Promise<number[]>;
  lastEffectAt(): Promise<string | null>;
  close(): Promise<void>;
}

const REMAINING = "select count(*) as n from deadlines where dispute_id between ? and ? and name = 'sellerResponse'";
// Each fired deadline resolves its dispute and queues a refund: the storm ends when those went out too.
const PENDING = "select count(*) as n from outbox where dispute_id between ? and ? and status = 'pending'";
const FIRED = "select recorded_at as at from dispute_events where dispute_id between ? and ? and type = 'deadline.sellerResponse'";
const LAST_EFFECT = 'select max(a.at) as at from delivery_attempts a join outbox o on o.id = a.outbox_id where o.dispute_id between ? and ?';

/** Watches the disputes whose ids start with `dsp_<prefix>`. */
export async function openStormProbe(place: Place, prefix: string): Promise<StormProbe> {
  const range = [`dsp_${prefix}`, `dsp_${prefix}\uffff`];
  return place.kind === 'postgres' ? postgresProbe(place.url, place.schema, range) : sqliteProbe(place.dbPath, range);
}

function sqliteProbe(dbPath: string, range: string[]): StormProbe {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  const count = (sql: string) => (db.prepare(sql).get(...range) as { n: number }).n;
  return {
    settled: () => count(REMAINING) === 0 && count(PENDING) === 0,
    fired: async () => (db.prepare(FIRED).all(...range) as { at: string }[]).map((r) => Date.parse(r.at)),
    lastEffectAt: async () => (db.prepare(LAST_EFFECT).get(...range) as { at: string | null }).at,
    close: async () => void db.close(),
  };
}

async function postgresProbe(url: string, schema: string, range: string[]): Promise<StormProbe> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  const numbered = (sql: string) => sql.replace('?', '$1').replace('?', '$2');
  const count = async (sql: string) => Number((await client.query<{ n: string }>(numbered(sql), range)).rows[0]!.n);
  let last = false;
  let checking: Promise<void> | undefined;
  return {
    settled() {
      checking ??= Promise.all([count(REMAINING), count(PENDING)])
        .then(([remaining, pending]) => void (last = remaining === 0 && pending === 0))
        .catch(() => {}) // a failed look is retried at the next poll
        .finally(() => (checking = undefined));
      return last;
    },
    fired: async () => (await client.query<{ at: string }>(numbered(FIRED), range)).rows.map((r) => Date.parse(r.at)),
    lastEffectAt: async () => (await client.query<{ at: string | null }>(numbered(LAST_EFFECT), range)).rows[0]!.at,
    async close() {
      await checking;
      await client.end();
    },
  };
}
