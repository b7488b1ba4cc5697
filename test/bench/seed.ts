/**
 * Builds N stored disputes through the service's own code: orders through `registerOrder`,
 * disputes opened with the pure `openStep` and moved on with `eventStep` / `advanceStep`
 * (seed-steps.ts), every step committed through the store's `commit`, in batches. No
 * hand-written SQL: the rows (history, deadlines, outbox, snapshots) are exactly what the
 * service writes itself, and a change of schema or step shows up here as in production.
 *
 * A worker thread computes the steps of the next range while this thread commits the current
 * one (the store is opened with `normal` durability: see arbiter.ts). On PostgreSQL each order
 * is a transaction of its own, a round trip per row: several are registered at once.
 */
import { Worker } from 'node:worker_threads';
import { openSeedStore, type SeedStore, type StepCommit, type StoreLocation } from './arbiter.ts';
import { pool } from './client.ts';
import { ITEMS_PER_ORDER, orderOf, recipeOf, seededDisputeId, type SeedPlan } from './seed-steps.ts';
import type { RecipeName } from './seed-mix.ts';

const RANGE = 1_000;
const BATCH = 500;
const DAY = 86_400_000;

export interface SeedOptions extends SeedPlan {
  /** The SQLite file (created if needed) or the PostgreSQL schema (migrated if needed). */
  at: StoreLocation;
  /** How many disputes waiting for the seller to return as targets for events. */
  targets?: number;
  progress?: (done: number, total: number, perSecond: number) => void;
}

export interface SeedResult {
  count: number;
  byRecipe: Partial<Record<RecipeName, number>>;
  /** Disputes in negotiating.awaitingSellerResponse with no deadline near: safe to send messages to. */
  targets: { id: string; buyerId: string }[];
  /** A buyer with a few disputes, for buyer-scoped lists. */
  sampleBuyer: string;
  seconds: number;
}

type Computed = { from: number; to: number; commits: StepCommit[] };

/** The worker, started through tsx's API: a worker thread does not inherit the tsx loader. */
function startWorker(plan: SeedPlan) {
  const api = import.meta.resolve('tsx/esm/api');
  const file = new URL('./seed-worker.ts', import.meta.url).href;
  const source = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(file)}, ${JSON.stringify(import.meta.url)}))`;
  const worker = new Worker(source, { eval: true, workerData: plan });
  const waiting: { resolve: (c: Computed) => void; reject: (e: Error) => void }[] = [];
  worker.on('message', (computed: Computed) => waiting.shift()?.resolve(computed));
  worker.on('error', (error) => waiting.splice(0).forEach((w) => w.reject(error)));
  return {
    /** Asks for a range now; the promise resolves when it is computed (ranges come back in order). */
    compute(from: number, to: number): Promise<Computed> {
      const promise = new Promise<Computed>((resolve, reject) => waiting.push({ resolve, reject }));
      worker.postMessage({ from, to });
      return promise;
    },
    stop: () => worker.terminate(),
  };
}

/** Orders registered at once: one on SQLite (its writer commits them in turn anyway), several on PostgreSQL. */
const ORDER_CONCURRENCY = { sqlite: 1, postgres: 8 };

/** Opens `count` disputes (and registers their orders) in the store, creating it if needed. */
export async function seedDisputes(options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const plan: SeedPlan = { prefix: options.prefix, count: options.count, nowMs: options.nowMs, mix: options.mix };
  const store = await openSeedStore(options.at);
  const worker = startWorker(plan);
  const result: SeedResult = { count: options.count, byRecipe: {}, targets: [], sampleBuyer: orderOf(plan, 0).buyerId, seconds: 0 };
  let lastReport = started;
  try {
    let next = worker.compute(0, Math.min(RANGE, options.count));
    for (let from = 0; from < options.count; from += RANGE) {
      const to = Math.min(from + RANGE, options.count);
      const computed = await next;
      if (to < options.count) next = worker.compute(to, Math.min(to + RANGE, options.count)); // computed while this range commits
      const orders: number[] = [];
      for (let order = Math.ceil(from / ITEMS_PER_ORDER); order * ITEMS_PER_ORDER < to; order += 1) orders.push(order);
      const registeredAt = new Date(options.nowMs - 40 * DAY).toISOString();
      await pool(orders, ORDER_CONCURRENCY[options.at.kind], (order) => store.registerOrder(orderOf(plan, order), registeredAt));
      for (let b = 0; b < computed.commits.length; b += BATCH) await commitAll(store, computed.commits.slice(b, b + BATCH));
      for (let i = from; i < to; i += 1) tally(result, plan, i, options.targets ?? 0);
      const now = performance.now();
      if (options.progress && now - lastReport > 2_000) {
        options.progress(to, options.count, (to / (now - started)) * 1000);
        lastReport = now;
      }
    }
  } finally {
    await worker.stop();
    await store.close();
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

function tally(result: SeedResult, plan: SeedPlan, i: number, targets: number) {
  const recipe = recipeOf(plan, i);
  result.byRecipe[recipe] = (result.byRecipe[recipe] ?? 0) + 1;
  if (recipe === 'awaitingSeller' && result.targets.length < targets) {
    result.targets.push({ id: seededDisputeId(plan.prefix, i), buyerId: orderOf(plan, Math.floor(i / ITEMS_PER_ORDER)).buyerId });
  }
}

/** Commits a batch in one transaction and insists that every step went in. */
async function commitAll(store: SeedStore, steps: StepCommit[]) {
  const outcomes = await store.commit(steps);
  const failed = outcomes.findIndex((o) => !o.ok);
  if (failed >= 0) throw new Error(`seed: the store refused step ${steps[failed]!.disputeId} v${steps[failed]!.version}: ${JSON.stringify(outcomes[failed])}`);
}
