/**
 * The one module of the benchmark that reaches into the service's own code (server/, db/,
 * test/support/): the pure step functions the seeder replays, the store it commits through, the
 * token minting, and the in-process runtime of the former runtime.bench. When those move or
 * change shape, only this file follows; the rest talks HTTP or uses what this file exports.
 */
import { migratePostgres } from '../../db/postgres/connection.ts';
import { openPostgresStore } from '../../db/postgres/index.ts';
import { openSqliteStore } from '../../db/sqlite/index.ts';
import type { CommitOutcome, OrderRegistration, StepCommit } from '../../db/store.ts';
import type { Actor, DisputeInput } from '../../machines/index.ts';
import { mintToken } from '../../server/auth/tokens.ts';
import { startService } from '../../server/service.ts';
import { advanceStep, eventStep, load, openStep, type Loaded } from '../../server/runtime/step.ts';
import { notReceived, sampleOrder, testConfig } from '../support/service.ts';

export { mintToken, migratePostgres };
export type { OrderRegistration, StepCommit };

/**
 * Where a store lives: a SQLite file, or a schema of a PostgreSQL database (then `dbPath` is
 * still a file in the run's folder: the simulated payment provider and evidence live beside it).
 */
export type StoreLocation = { kind: 'sqlite'; dbPath: string } | { kind: 'postgres'; dbPath: string; url: string; schema: string };

/** What seeding needs of the store: orders, batches of steps, and closing it. */
export interface SeedStore {
  registerOrder(order: OrderRegistration, at: string): Promise<void>;
  commit(steps: StepCommit[]): Promise<CommitOutcome[]>;
  close(): Promise<void>;
}

/**
 * The store the service will open. SQLite with `normal` durability: building the data is not
 * what is measured, and an fsync per batch would only slow it down (the service later opens the
 * file with `full`). PostgreSQL as the service opens it: one group commit per batch is one fsync.
 */
export const openSeedStore = (at: StoreLocation): Promise<SeedStore> =>
  at.kind === 'postgres' ? openPostgresStore({ url: at.url, schema: at.schema }) : openSqliteStore({ path: at.dbPath, durability: 'normal' });

/** A dispute between two seeded steps, as the next step needs it. */
export type Chained = Loaded;

export interface Stepped {
  commit: StepCommit;
  next: Chained;
}

const refused = (what: string, result: unknown) => new Error(`seed: ${what} did not apply: ${JSON.stringify(result)}`);

export function seedOpen(input: DisputeInput, by: Actor, at: string): Stepped {
  const result = openStep(input, by, at);
  if (!result.ok) throw refused(`opening ${input.disputeId}`, result);
  return { commit: result.commit, next: result.after };
}

export function seedEvent(chained: Chained, event: Record<string, unknown>, by: Actor, at: string): Stepped {
  const result = eventStep(chained, event, by, at);
  if (!result.ok) throw refused(`${String(event.type)} on ${chained.id}`, result);
  return { commit: result.commit, next: result.after };
}

/** Fires what is due by `at`, as the scheduler would have. */
export function seedAdvance(chained: Chained, at: string): Stepped {
  const result = advanceStep(chained, at);
  if (!result) throw refused(`advancing ${chained.id} to ${at} (nothing was due)`, result);
  return { commit: result.commit, next: result.after };
}

/**
 * The former runtime.bench.ts figures: `runtime.send` in-process (load, step, commit; no HTTP)
 * and the pure step alone, on one dispute of a service started inside this process.
 */
export async function startInProcess(at: StoreLocation) {
  const pg = at.kind === 'postgres' ? { databaseUrl: at.url, pgSchema: at.schema } : {};
  const service = await startService({ ...testConfig(at.dbPath, pg), durability: 'full' });
  await service.scheduler.stop();
  const buyer: Actor = { role: 'buyer', id: 'buyer-1' };
  await service.store.registerOrder(sampleOrder(service.clock.now()), service.clock.now());
  const opened = await service.runtime.open('order-1', 'item-1', notReceived, buyer);
  if (!opened.ok) throw new Error(`runtime.open failed: ${JSON.stringify(opened.error)}`);
  const id = opened.dispute.id;
  return {
    async send(n: number) {
      const result = await service.runtime.send(id, { type: 'message.send', body: `m${n}` }, buyer);
      if (!result.ok) throw new Error(`runtime.send failed: ${JSON.stringify(result.error)}`);
    },
    /** The step alone, on the dispute as stored now: restore, check, transition; no I/O. */
    async pureStep(): Promise<(n: number) => void> {
      const record = (await service.store.getDispute(id))!;
      return (n) => void eventStep(load(record), { type: 'message.send', body: `p${n}` }, buyer, service.clock.now());
    },
    stop: () => service.stop(),
  };
}
