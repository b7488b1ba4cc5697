/**
 * Wires what leaves the service after commit: the outbox dispatcher with its handlers (the
 * payment provider, webhook subscribers) and the simulated provider's reports, which come back
 * through the write path as `system` (`refund.settled`, `refund.failed`), checked like a real
 * provider's callbacks to the API.
 */
import { join } from 'node:path';
import type { DisputeStore } from '../../db/store.ts';
import type { Policy } from '../../machines/index.ts';
import type { Logger } from '../log.ts';
import type { Clock, ControllableClock } from '../runtime/clock.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { Scheduler } from '../runtime/scheduler.ts';
import { createDispatcher, type Dispatcher } from './dispatcher.ts';
import { createSimulatedProvider, paymentsHandler, type SimulatedProvider } from './payments.ts';
import { webhookHandler } from './webhooks.ts';

export interface Effects {
  dispatcher: Dispatcher;
  provider: SimulatedProvider;
  /** Runs everything due now: deliveries, provider reports, then the deliveries they caused. */
  runDue(): Promise<void>;
  /**
   * Demo mode: moves the controllable clock forward by `ms`, stopping at every instant something
   * falls due (a deadline, a provider's report) so that events happen in the order of their time.
   */
  advanceClock(ms: number): Promise<{ now: string; deadlinesFired: number }>;
  stop(): Promise<void>;
}

/** What the effects need of the running service. */
export interface EffectsDeps {
  config: {
    dbPath: string;
    policy: Policy;
    webhooks: Parameters<typeof webhookHandler>[0];
    outboxMaxAttempts: number;
    outboxBackoffMs: number;
  };
  store: DisputeStore;
  clock: Clock;
  controllableClock: ControllableClock | undefined;
  runtime: Runtime;
  scheduler: Scheduler;
  log: Logger;
}

export function startEffects(service: EffectsDeps, options: { pollMs?: number } = {}): Effects {
  const { config, store, clock, runtime, log } = service;
  const provider = createSimulatedProvider({
    // The simulated provider keeps its own book, as a real one would: not in the service's database.
    dbPath: join(config.dbPath, '..', 'simulated-payments.db'),
    clock,
    settlement: config.policy.settlement,
    async report(disputeId, event, reportId) {
      const result = await runtime.send(disputeId, event, { role: 'system', id: 'payments' }, { idempotencyKey: `provider:${reportId}` });
      if (result.ok) return true;
      if (result.error.kind === 'unavailable' || result.error.kind === 'busy') return false; // try again on the next look
      log.warn('the service refused a payment report', { disputeId, event: String(event.type), error: result.error });
      return true;
    },
  });
  const dispatcher = createDispatcher({
    store,
    clock,
    handlers: { payments: paymentsHandler(provider), webhook: webhookHandler(config.webhooks) },
    maxAttempts: config.outboxMaxAttempts,
    backoff: { baseMs: config.outboxBackoffMs, maxMs: 5 * 60_000 },
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    log,
  });
  const unsubscribe = runtime.subscribe(({ hasEffects }) => {
    if (hasEffects) dispatcher.wake();
  });
  dispatcher.start();
  const providerTimer = setInterval(() => {
    provider.tick().catch((error: unknown) => log.error('payments: a report failed', { error: String(error) }));
  }, options.pollMs ?? 500);
  providerTimer.unref();

  return {
    dispatcher,
    provider,
    async runDue() {
      await dispatcher.tick();
      await provider.tick();
      await dispatcher.tick();
    },
    async advanceClock(ms) {
      const controllable = service.controllableClock;
      if (!controllable) throw new Error('the clock is not controllable');
      const target = Date.parse(clock.now()) + ms;
      let deadlinesFired = 0;
      // Each turn moves time forward (only instants after now count), so this ends; a dispute
      // whose deadline cannot fire (reported by the scheduler) does not hold the clock back.
      for (;;) {
        const instant = clock.now();
        const now = Date.parse(instant);
        const upcoming = [await store.nextDeadlineAt(instant), provider.nextReportAt(instant)].filter((t): t is string => t !== undefined).map(Date.parse);
        const stop = Math.min(target, ...upcoming);
        if (stop > now) await controllable.advance(stop - now);
        deadlinesFired += await service.scheduler.tick();
        await this.runDue();
        if (stop >= target) return { now: clock.now(), deadlinesFired };
      }
    },
    async stop() {
      clearInterval(providerTimer);
      unsubscribe();
      await dispatcher.stop();
      provider.close();
    },
  };
}
