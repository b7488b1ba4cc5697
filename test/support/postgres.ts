/**
 * PostgreSQL for tests: the server every machine of ours runs on 127.0.0.1:5432 (trust auth,
 * database `test`; `.ci/run` makes sure it is up). Each test gets its own schema, dropped after.
 * Where no server answers outside CI, the PostgreSQL tests are skipped with a loud line; in CI
 * they must run.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { postgresAnswers } from './pg-probe.ts';

export const postgresUrl = process.env.ARBITER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const postgresAvailable = await postgresAnswers(postgresUrl);
if (!postgresAvailable && process.env.CI) throw new Error(`PostgreSQL is not reachable at ${postgresUrl} in CI: .ci/run should have started it`);
if (!postgresAvailable) console.warn(`\n*** PostgreSQL tests SKIPPED: nothing answers at ${postgresUrl} ***\n`);

/** A schema of its own for one test; `drop()` removes it with everything in it. */
export function freshSchema() {
  const schema = `arbiter_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  return {
    url: postgresUrl,
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
