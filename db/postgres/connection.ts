/**
 * Connecting to PostgreSQL: a pool whose every connection works in the configured schema and
 * gives up on a statement after a bounded time, and the migrations, applied under an advisory
 * lock so that instances starting together migrate once.
 */
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

export interface PostgresOptions {
  /** `postgres://user@host:port/database` */
  url: string;
  /** The schema the tables live in (created if missing); each test run uses its own. */
  schema?: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** The longest a statement may run before PostgreSQL cancels it. */
  statementTimeoutMs?: number;
  /** How long to wait for a connection (an unreachable database answers 503 after this). */
  connectTimeoutMs?: number;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

export function schemaOf(options: PostgresOptions): string {
  const schema = options.schema ?? 'public';
  if (!identifier.test(schema)) throw new Error(`not a schema name PostgreSQL takes unquoted: ${schema}`);
  return schema;
}

export function openPool(options: PostgresOptions): pg.Pool {
  const schema = schemaOf(options);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    options: `-c search_path=${schema} -c statement_timeout=${options.statementTimeoutMs ?? 10_000}`,
  });
  // A connection lost while idle is dropped by the pool; the error must not end the process.
  pool.on('error', () => {});
  return pool;
}

/** Creates the schema if needed and applies every committed migration, once across instances. */
export async function migratePostgres(options: PostgresOptions): Promise<void> {
  const schema = schemaOf(options);
  const pool = openPool({ ...options, poolSize: 1 });
  const client = await pool.connect();
  try {
    // The lock comes first: two instances creating the same schema at once collide on
    // pg_namespace's unique index even with `if not exists`.
    await client.query('select pg_advisory_lock(hashtext($1))', [`arbiter-migrate:${schema}`]);
    try {
      await client.query(`create schema if not exists ${schema}`);
      await migrate(drizzle({ client }), { migrationsFolder, migrationsSchema: schema, migrationsTable: '__drizzle_migrations' });
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [`arbiter-migrate:${schema}`]);
    }
  } finally {
    client.release();
    await pool.end();
  }
}

/** Runs `work` in one transaction on one connection of the pool: committed whole, or rolled back. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
