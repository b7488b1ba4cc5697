/**
 * The deployments a run measures, each with every selected scenario and its own limits: the
 * service on SQLite (one process, the embedded default), and on PostgreSQL with one instance or
 * several sharing one schema. SQLite's figures keep the keys they always had; PostgreSQL's are
 * prefixed (`pg1.open.rps`, `pg3.noop.rps`), so earlier results and baselines still line up.
 */
import type { Scope } from './figures.ts';
import type { StoreKind } from './place.ts';

export interface Target extends Scope {
  store: StoreKind;
  instances: number;
  /** How the bare-commit limit (`raw.commit1`) of this store is named beside a figure. */
  commitLabel: string;
}

export const sqliteTarget: Target = { id: '', title: 'SQLite', store: 'sqlite', instances: 1, commitLabel: 'vs bare SQLite commit' };

export function postgresTarget(instances: number): Target {
  return {
    id: `pg${instances}`,
    title: `PostgreSQL, ${instances} instance${instances === 1 ? '' : 's'}`,
    store: 'postgres',
    instances,
    commitLabel: 'vs bare PostgreSQL commit',
  };
}

/** The scope of figures measured once per store rather than per deployment (seeding the stored disputes). */
export const storeScope = (store: StoreKind): Scope => (store === 'postgres' ? { id: 'pg', title: 'PostgreSQL' } : { id: '', title: 'SQLite' });

export const deploymentExplanation =
  "**PostgreSQL** (`--store=postgres`, `--instances=1,3`): the same scenarios, each on a schema of its own in the benchmark database (created by the service's migrations, dropped afterwards), with one service process or three sharing the schema. " +
  'There is no load balancer: the load generator runs one autocannon per instance with its share of the 50 connections (17, 17, 16), started and stopped together, and merges their answers; set-up requests go to the first instance. ' +
  "The no-op limit is measured the same way on the same deployment (three instances' no-op together), so each ratio compares like with like. " +
  "The bare-commit limit is PostgreSQL's: one connection, each transaction (an update and a 200-byte insert, or 100 of them) sent as one query, at the server's `synchronous_commit`. " +
  "The stored disputes are seeded through the PostgreSQL store's own commit (`arbiter_commit_steps`), once per run, then copied table by table into each scenario's schema and analysed. " +
  "Memory is the largest instance's; WAL bytes are the whole server's (other sessions included: an upper bound, the note gives what others wrote just before). The server is shared with other work, as is the machine.";
