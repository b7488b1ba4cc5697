/** Real services on real SQLite files in a temporary folder, for the runtime tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicy, type PolicyOverrides } from '../../machines/index.ts';
import type { DisputeStore, OrderRegistration } from '../../db/store.ts';
import { defaultAuth, defaultEdge, type Config } from '../../server/config.ts';
import type { Logger } from '../../server/log.ts';
import { startService, type Service } from '../../server/service.ts';

export function tempDir(prefix = 'arbiter-test-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dbPath: join(dir, 'arbiter.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(dbPath: string, overrides: Partial<Config> & { policyOverrides?: PolicyOverrides } = {}): Config {
  const { policyOverrides, ...rest } = overrides;
  return {
    port: 0,
    host: '127.0.0.1',
    mode: 'demo',
    tokenKeys: undefined,
    metricsAccess: 'loopback',
    dbPath,
    durability: 'full',
    clock: 'controllable',
    policy: parsePolicy(policyOverrides ?? {}),
    schedulerPollMs: 50,
    idempotencyHours: 24,
    webhooks: [],
    outboxMaxAttempts: 8,
    outboxBackoffMs: 20,
    evidenceDir: join(dbPath, '..', 'evidence'),
    statelyInspectUrl: undefined,
    logLevel: 'warn',
    logFormat: 'text',
    databaseUrl: undefined,
    pgSchema: 'public',
    edge: defaultEdge,
    auth: defaultAuth,
    ...rest,
  };
}

export async function startTestService(dbPath: string, overrides: Parameters<typeof testConfig>[1] = {}, log?: Logger): Promise<Service> {
  return startService(testConfig(dbPath, overrides), log);
}

const DAY = 86_400_000;

/** An order shipped 12 days before `now` with two items, so not_received disputes may open. */
export function sampleOrder(now: string, orderId = 'order-1', buyerId = 'buyer-1', sellerId = 'seller-1'): OrderRegistration {
  const t = Date.parse(now);
  const iso = (days: number) => new Date(t + days * DAY).toISOString();
  return {
    orderId,
    buyerId,
    sellerId,
    currency: 'USD',
    paymentMethod: 'card',
    completedAt: null,
    receiptConfirmedAt: null,
    items: [
      {
        itemId: 'item-1',
        price: 4000,
        shippingCost: 500,
        digital: false,
        freeReturn: false,
        shippedAt: iso(-12),
        deliveryWindowEndsAt: iso(20),
        deliveredAt: null,
      },
      {
        itemId: 'item-2',
        price: 1500,
        shippingCost: 0,
        digital: false,
        freeReturn: false,
        shippedAt: iso(-12),
        deliveryWindowEndsAt: iso(20),
        deliveredAt: null,
      },
    ],
  };
}

export const notReceived = {
  type: 'refund_only',
  reason: 'not_received',
  description: 'Tracking stopped two weeks ago',
  amount: 4000,
  includeShipping: true,
  itemUnusable: false,
} as const;

export async function registerSampleOrder(store: DisputeStore, now: string, orderId = 'order-1') {
  await store.registerOrder(sampleOrder(now, orderId), now);
}

export const DAY_MS = DAY;
