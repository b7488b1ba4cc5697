/**
 * `npm run db:migrate`: applies every committed migration to the configured store and exits:
 * PostgreSQL when DATABASE_URL is set (under an advisory lock, so it is safe while instances
 * start or run: migrations only add), else the SQLite file ARBITER_DB. Services also migrate at
 * start; this lets an operator do it first, on its own.
 */
import { migratePostgres } from '../../db/postgres/connection.ts';
import { migrateDatabase } from '../../db/sqlite/connection.ts';

const usage = `usage: npm run db:migrate

Applies the committed migrations: to PostgreSQL when DATABASE_URL is set (schema ARBITER_PG_SCHEMA,
default public), else to the SQLite file ARBITER_DB (default data/arbiter.db).`;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(usage);
  process.exit(0);
}
const url = process.env.DATABASE_URL;
try {
  if (url) {
    const schema = process.env.ARBITER_PG_SCHEMA ?? 'public';
    await migratePostgres({ url, schema });
    console.log(`migrated PostgreSQL schema ${schema}`);
  } else {
    const path = process.env.ARBITER_DB ?? 'data/arbiter.db';
    migrateDatabase({ path });
    console.log(`migrated ${path}`);
  }
} catch (error) {
  console.error(`db:migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
