import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';

export type Sqlite = Database.Database;

/**
 * How much durability a commit buys. `full` (the default): an acknowledged step survives a
 * power cut (WAL + synchronous=FULL). `normal`: survives a process crash but may lose the last
 * commits on power loss.
 */
export type Durability = 'full' | 'normal';

export interface OpenOptions {
  /** A file path. */
  path: string;
  durability?: Durability;
  /** How long a writer waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
}

const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Creates the file and its folder if needed and applies every committed migration (drizzle-kit
 * generates them from `schema.ts`), then closes: the writer thread opens its own connection.
 */
export function migrateDatabase({ path, busyTimeoutMs = 5000 }: OpenOptions): void {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    migrate(drizzle({ client: sqlite }), { migrationsFolder });
  } finally {
    sqlite.close();
  }
}

/**
 * The writing connection (the writer thread's). WAL lets readers run beside the one writer;
 * `busy_timeout` makes a second process wait for the write lock instead of failing.
 */
export function openWritingConnection({ path, durability = 'full', busyTimeoutMs = 5000 }: OpenOptions): Sqlite {
  const sqlite = new Database(path, { fileMustExist: true });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

/**
 * A reading connection on a database already migrated: it refuses writes (`query_only`), so
 * nothing but the writer thread ever takes the write lock.
 */
export function openReadingConnection(path: string): Sqlite {
  const sqlite = new Database(path, { fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('query_only = 1');
  return sqlite;
}
