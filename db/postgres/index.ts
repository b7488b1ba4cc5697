/**
 * The PostgreSQL store: the same contract as SQLite's, for marketplaces that run several
 * instances. `DATABASE_URL=postgres://…` selects it. Steps are committed in groups by one
 * statement; deadlines and effects are claimed with leases; commits are announced with
 * NOTIFY so live views on any instance see every change; a database that cannot be reached
 * answers `unavailable` (503), and the pool reconnects when it returns.
 */
import pg from 'pg';
import { StoreUnavailable, type DisputeStore } from '../store.ts';
import { groupCommitter } from './commit.ts';
import { migratePostgres, openPool, type PostgresOptions } from './connection.ts';
import { disputeQueries } from './disputes.ts';
import { effectQueries } from './effects.ts';
import { listenForCommits } from './listen.ts';
import { recordQueries } from './records.ts';
import { sessionQueries } from './sessions.ts';

export type { PostgresOptions } from './connection.ts';

// Money and ids in bigint columns are safe integers: read them as numbers.
pg.types.setTypeParser(20, (value) => Number(value));

const connectionErrors = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08003', '08006', '53300']);

/** Turns a failure to reach the database into `StoreUnavailable` (503), leaving other errors alone. */
function guard<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(object, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          const code = (error as { code?: string }).code;
          const lost = error instanceof Error && /timeout|Connection terminated|ECONNREFUSED|connection error|terminating connection/i.test(error.message);
          if ((code && connectionErrors.has(code)) || lost) throw new StoreUnavailable(`the database cannot be reached: ${(error as Error).message}`, code);
          throw error;
        });
      };
    },
  });
}

export async function openPostgresStore(options: PostgresOptions): Promise<DisputeStore> {
  await migratePostgres(options);
  const pool = openPool(options);
  const disputes = disputeQueries(pool);
  const effects = effectQueries(pool);
  const records = recordQueries(pool);
  const committer = groupCommitter(pool);
  const listener = await listenForCommits(options, committer.origin);

  return guard<DisputeStore>({
    kind: 'postgres',
    singleWriter: false,
    ...disputes,
    commit: (steps) => committer.commit(steps),
    ...effects,
    ...records,
    ...sessionQueries(pool),
    onRemoteCommit: (callback) => listener.subscribe(callback),
    async close() {
      await committer.drained();
      await listener.close();
      await pool.end();
    },
  });
}
