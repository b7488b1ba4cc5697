/**
 * Wires what leaves the service after commit: the outbox dispatcher with its handlers (the
 * payment provider, webhook subscribers) and the simulated provider's reports, which come back
 * through the API as `system` like a real provider's callbacks.
 */
import type { Hono } from 'hono';
import { createDispatcher, type Dispatcher } from './dispatcher.ts';
import type { KeyRing } from './http/tokens.ts';
import { mintToken } from './http/tokens.ts';
import { createSimulatedProvider, paymentsHandler, type SimulatedProvider } from './payments.ts';
import type { Service } from './service.ts';
import { webhookHandler } from './webhooks.ts';

export interface Effects {
  dispatcher: Dispatcher;
  provider: SimulatedProvider;
  /** Runs everything due now: provider reports, then deliveries (after the clock moved). */
  runDue(): Promise<void>;
  stop(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Hono app that serves the API
export function startEffects(service: Service, app: Hono<any>, keys: KeyRing, options: { pollMs?: number } = {}): Effects {
  const { config, store, clock, runtime } = service;
  const provider = createSimulatedProvider({
    dbPath: config.dbPath,
    clock,
    settlement: config.policy.settlement,
    async report(disputeId, event, reportId) {
      const token = mintToken(keys, { role: 'system', sub: 'payments' }, 300);
      const response = await app.request(`/disputes/${encodeURIComponent(disputeId)}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `provider:${reportId}` },
        body: JSON.stringify(event),
      });
      if (response.ok) return true;
      const problem = await response.text();
      if (response.status >= 500) return false; // try again on the next look
      console.error(`payments: the service refused ${String(event.type)} for ${disputeId}: ${problem}`);
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
  });
  const unsubscribe = runtime.subscribe(({ commit }) => {
    if (commit.outbox.length > 0) dispatcher.wake();
  });
  dispatcher.start();
  const providerTimer = setInterval(() => {
    provider.tick().catch((error) => console.error('payments: report failed', error));
  }, options.pollMs ?? 500);
  providerTimer.unref();

  return {
    dispatcher,
    provider,
    async runDue() {
      await provider.tick();
      await dispatcher.tick();
    },
    async stop() {
      clearInterval(providerTimer);
      unsubscribe();
      await dispatcher.stop();
      provider.close();
    },
  };
}
