/**
 * Wires the service together: the store, the clock, the runtime and the scheduler. `main.ts`
 * runs it as a process; tests start it in-process on a temporary database file.
 */
import { openSqliteStore, type DisputeStore } from '../db/store.ts';
import { createControllableClock, systemClock, type Clock, type ControllableClock } from './clock.ts';
import type { Config } from './config.ts';
import { createRuntime, type Runtime } from './runtime.ts';
import { createScheduler, type Scheduler } from './scheduler.ts';
import { localDiskStorage, type EvidenceStorage } from './evidence.ts';
import { attachStatelyInspector } from './stately-bridge.ts';

export interface Service {
  config: Readonly<Config>;
  store: DisputeStore;
  clock: Clock;
  /** Present when the clock is controllable (demo mode, tests). */
  controllableClock: ControllableClock | undefined;
  runtime: Runtime;
  scheduler: Scheduler;
  /** Where evidence bytes live (local disk by default; an object store can implement it). */
  evidence: EvidenceStorage;
  stop(): Promise<void>;
}

export async function startService(config: Readonly<Config>): Promise<Service> {
  const store = openSqliteStore({ path: config.dbPath, durability: config.durability });
  const controllableClock = config.clock === 'controllable' ? await createControllableClock(store) : undefined;
  const clock = controllableClock ?? systemClock;
  const runtime = createRuntime({ store, clock, policy: config.policy, webhookSubscribers: config.webhooks.map((w) => w.id) });
  const scheduler = createScheduler({ store, runtime, clock, pollMs: config.schedulerPollMs });
  // A step may arm a deadline earlier than the scheduler's next look.
  runtime.subscribe(({ commit }) => {
    if (commit.armDeadlines.length > 0) scheduler.wake();
  });
  await scheduler.tick(); // catch up on what fell due while the service was down
  scheduler.start();
  const purgeIdempotencyKeys = () =>
    store.purgeIdempotency(new Date(Date.parse(clock.now()) - config.idempotencyHours * 3_600_000).toISOString()).catch((error) => {
      console.error('could not purge idempotency keys', error);
    });
  await purgeIdempotencyKeys();
  const purgeTimer = setInterval(purgeIdempotencyKeys, 10 * 60_000);
  const stately = config.statelyInspectUrl ? attachStatelyInspector(runtime, config.statelyInspectUrl) : undefined;
  purgeTimer.unref();
  let stopping: Promise<void> | undefined;
  return {
    config,
    store,
    clock,
    controllableClock,
    runtime,
    scheduler,
    evidence: localDiskStorage(config.evidenceDir),
    stop() {
      stopping ??= (async () => {
        clearInterval(purgeTimer);
        stately?.stop();
        await scheduler.stop();
        await store.close();
      })();
      return stopping;
    },
  };
}
