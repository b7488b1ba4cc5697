/**
 * Wires the service together: the store, the clock, the runtime and its scheduler, the read
 * side, evidence storage and the logger. `main.ts` runs it as a process; tests start it
 * in-process on a temporary database file.
 */
import { openStore } from '../db/open.ts';
import type { DisputeStore } from '../db/store.ts';
import type { Config } from './config.ts';
import { localDiskStorage, type EvidenceStorage } from './effects/evidence-storage.ts';
import { attachStatelyInspector } from './effects/stately-bridge.ts';
import { createLogger, type Logger } from './log.ts';
import { createQueries, type Queries } from './queries/disputes.ts';
import { createControllableClock, systemClock, type Clock, type ControllableClock } from './runtime/clock.ts';
import { deriveMissingColumns } from './runtime/derive.ts';
import { createRuntime, type Runtime } from './runtime/runtime.ts';
import { createScheduler, type Scheduler } from './runtime/scheduler.ts';

export interface Service {
  config: Readonly<Config>;
  store: DisputeStore;
  clock: Clock;
  /** Present when the clock is controllable (demo mode, tests). */
  controllableClock: ControllableClock | undefined;
  runtime: Runtime;
  scheduler: Scheduler;
  queries: Queries;
  /** Where evidence bytes live (local disk by default; an object store can implement it). */
  evidence: EvidenceStorage;
  log: Logger;
  stop(): Promise<void>;
}

export async function startService(
  config: Readonly<Config>,
  log: Logger = createLogger({ level: config.logLevel, format: config.logFormat }),
): Promise<Service> {
  const store = await openStore(config);
  const derived = await deriveMissingColumns(store, (disputeId, error) =>
    log.error('could not derive the columns of a dispute', { disputeId, error: String(error) }),
  );
  if (derived > 0) log.info('derived the new columns of disputes written by an earlier version', { disputes: derived });
  const controllableClock = config.clock === 'controllable' ? await createControllableClock(store) : undefined;
  const clock = controllableClock ?? systemClock;
  const runtime = createRuntime({ store, clock, policy: config.policy, webhookSubscribers: config.webhooks.map((w) => w.id), log });
  const scheduler = createScheduler({
    store,
    runtime,
    clock,
    pollMs: config.schedulerPollMs,
    onError: (error, disputeId) => log.error('could not fire deadlines', { disputeId, error: error instanceof Error ? error.message : String(error) }),
  });
  // A step may arm a deadline earlier than the scheduler's next look.
  runtime.subscribe(({ armsDeadlines }) => {
    if (armsDeadlines) scheduler.wake();
  });
  // Live views connected to this instance see what the others commit (PostgreSQL).
  const unhear = store.onRemoteCommit(({ disputeId, from, to }) => {
    runtime
      .heard(disputeId, from, to)
      .catch((error: unknown) => log.warn('could not read a dispute another instance changed', { disputeId, error: String(error) }));
  });
  await scheduler.tick(); // catch up on what fell due while the service was down
  scheduler.start();
  const purgeIdempotencyKeys = () =>
    Promise.all([
      // Retries come on real time: a key is kept ARBITER_IDEMPOTENCY_HOURS of it, however far the
      // demo clock was moved. Keys are stamped with the service's clock, which only moves forward
      // from real time, so a cut-off on real time never takes a key younger than that.
      store.purgeIdempotency(new Date(Date.now() - config.idempotencyHours * 3_600_000).toISOString()),
      store.purgeSessions(new Date().toISOString()), // sessions live on real time, not the demo clock
    ]).catch((error: unknown) => {
      log.error('could not purge idempotency keys and ended sessions', { error: String(error) });
    });
  await purgeIdempotencyKeys();
  const purgeTimer = setInterval(purgeIdempotencyKeys, 10 * 60_000);
  purgeTimer.unref();
  const stately = config.statelyInspectUrl ? attachStatelyInspector(runtime, config.statelyInspectUrl) : undefined;
  let stopping: Promise<void> | undefined;
  return {
    config,
    store,
    clock,
    controllableClock,
    runtime,
    scheduler,
    queries: createQueries({ store, clock, log }),
    evidence: localDiskStorage(config.evidenceDir),
    log,
    stop() {
      stopping ??= (async () => {
        clearInterval(purgeTimer);
        unhear();
        stately?.stop();
        await scheduler.stop();
        await store.close();
      })();
      return stopping;
    },
  };
}
