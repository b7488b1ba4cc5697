/**
 * Where one scenario's data lives, fresh each time and removed afterwards: a temporary folder
 * with a SQLite file, or, on PostgreSQL, a schema of its own in the benchmark's database (and a
 * folder all the instances share for what stays on disk: the simulated payment provider's book,
 * evidence). A copy of the stored disputes gives each scenario a database nobody wrote to before.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migratePostgres, type StoreLocation } from './arbiter.ts';
import { copyDatabase, freshFolder } from './service.ts';

export type StoreKind = StoreLocation['kind'];

export type Place = StoreLocation & { dir: string; remove(): Promise<void> };
export type PostgresPlace = Extract<Place, { kind: 'postgres' }>;

/** Runs `work` with one connection whose search path is the place's schema. */
export async function withClient<T>(place: { url: string; schema: string }, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: place.url, options: `-c search_path=${place.schema}` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new place for `label` (lower-case letters and digits: it is part of a schema name). */
export async function freshPlace(store: StoreKind, label: string, pgUrl: string): Promise<Place> {
  if (store === 'postgres') return freshPostgresPlace(label, pgUrl);
  const folder = freshFolder(label);
  return { kind: 'sqlite', dbPath: folder.dbPath, dir: folder.dir, remove: async () => folder.remove() };
}

/**
 * A schema of its own, created empty (its tables appear when the store migrates it). Created
 * here rather than by the instances: three instances starting together on a schema that does not
 * exist yet race on `create schema if not exists` (outside the migrations' advisory lock) and
 * one of them may fail to start with a duplicate-key error; an operator creates the schema once.
 */
export async function freshPostgresPlace(label: string, pgUrl: string): Promise<PostgresPlace> {
  const folder = freshFolder(label);
  const schema = `arbiter_bench_${label}_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const place = { kind: 'postgres' as const, dbPath: folder.dbPath, dir: folder.dir, url: pgUrl, schema };
  await withClient(place, (client) => client.query(`create schema ${schema}`));
  return {
    ...place,
    async remove() {
      folder.remove();
      await withClient(place, (client) => client.query(`drop schema if exists ${schema} cascade`));
    },
  };
}

/** The store's tables in a schema (drizzle's own bookkeeping left out). */
async function tablesOf(client: pg.Client, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' and table_name not like '\\_\\_%'",
    [schema],
  );
  return rows.map((r) => r.name);
}

/**
 * Copies `from` into the fresh `to`. On PostgreSQL: the tables are created by the store's own
 * migrations, then filled table by table from the template's (foreign keys are checked once,
 * when the template was built; `session_replication_role = replica` skips them here), sequences
 * moved past the copied ids, and the tables analysed: a database that has served for a while has
 * its planner statistics, and a fresh copy would otherwise be planned as if empty.
 */
export async function copyPlace(from: Place, to: Place): Promise<void> {
  if (from.kind === 'sqlite' || to.kind === 'sqlite') return copyDatabase(from.dbPath, to.dbPath);
  await migratePostgres({ url: to.url, schema: to.schema });
  await withClient(to, async (client) => {
    const tables = await tablesOf(client, from.schema);
    await client.query('set session_replication_role = replica');
    for (const table of tables) await client.query(`insert into ${to.schema}.${table} select * from ${from.schema}.${table}`);
    const serials = await client.query<{ t: string; c: string }>(
      "select table_name as t, column_name as c from information_schema.columns where table_schema = $1 and column_default like 'nextval%'",
      [to.schema],
    );
    for (const { t, c } of serials.rows) {
      await client.query(
        `select setval(pg_get_serial_sequence('${to.schema}.${t}', '${c}'), coalesce((select max(${c}) from ${to.schema}.${t}), 0) + 1, false)`,
      );
    }
    for (const table of tables) await client.query(`analyze ${to.schema}.${table}`);
  });
}

/**
 * Applies the store's migrations to an empty place before the service starts, where they take
 * a while (PostgreSQL: seconds of DDL): start-up on an empty database is then measured as
 * start-up on N disputes is, on tables that exist, instead of counting the migrations in one and
 * not the other. SQLite creates its file in milliseconds and is left to the service.
 */
export async function migratePlace(place: Place): Promise<void> {
  if (place.kind === 'postgres') await migratePostgres({ url: place.url, schema: place.schema });
}

/** Analyses every table of a place (after seeding: see copyPlace); nothing to do on SQLite. */
export async function analysePlace(place: Place): Promise<void> {
  if (place.kind !== 'postgres') return;
  // Table by table: a bare `analyze` would go through every schema of the shared database.
  await withClient(place, async (client) => {
    for (const table of await tablesOf(client, place.schema)) await client.query(`analyze ${place.schema}.${table}`);
  });
}

/** The server and the settings that bear on the figures, for the report. */
export async function describePostgres(url: string): Promise<string> {
  return withClient({ url, schema: 'public' }, async (client) => {
    const setting = async (name: string) => (await client.query<{ v: string }>(`select current_setting('${name}') as v`)).rows[0]!.v;
    const version = (await setting('server_version')).split(' ')[0];
    const names = ['synchronous_commit', 'fsync', 'shared_buffers', 'max_connections'];
    const values: string[] = [];
    for (const name of names) values.push(await setting(name)); // one query at a time on one connection
    return `PostgreSQL ${version} at ${url.replace(/\/\/[^@/]*@/, '//')}, ${names.map((n, i) => `${n}=${values[i]}`).join(', ')}`;
  });
}
