/**
 * Configuration from environment variables, validated once at start-up into a frozen object.
 * A bad value stops start-up with a message naming the variable.
 */
import { z } from 'zod';
import { parsePolicy, type Policy } from '../machines/index.ts';
import { parseKeyRing } from './auth/tokens.ts';
import { WebhookSubscribers, type WebhookSubscriber } from './effects/webhooks.ts';
import { dirname, join } from 'node:path';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port'),
  ARBITER_HOST: z.string().min(1).default('127.0.0.1').describe('interface to listen on (0.0.0.0 for all)'),
  ARBITER_MODE: z
    .enum(['demo', 'production'])
    .optional()
    .describe('demo: seeded data, printed tokens, controllable clock; production: tokens from ARBITER_TOKEN_KEYS'),
  ARBITER_TOKEN_KEYS: z.string().optional().describe('signing keys for bearer tokens, kid:secret[,kid:secret...], the first signs; secrets of 32+ characters'),
  ARBITER_METRICS_ACCESS: z.enum(['public', 'loopback', 'authenticated']).default('loopback').describe('who may read /metrics'),
  ARBITER_DB: z.string().min(1).default('data/arbiter.db').describe('SQLite database file (created with its folder if missing)'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
    .optional()
    .describe('PostgreSQL instead of SQLite, for several instances: postgres://user@host:5432/database'),
  ARBITER_PG_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case schema name')
    .default('public')
    .describe('the PostgreSQL schema the tables live in'),
  ARBITER_DURABILITY: z
    .enum(['full', 'normal'])
    .default('full')
    .describe('full: an acknowledged event survives power loss (synchronous=FULL); normal: survives a process crash only'),
  ARBITER_CLOCK: z.enum(['system', 'controllable']).optional().describe('controllable: system time plus a persisted offset that only grows (demo and tests)'),
  ARBITER_POLICY: z.string().default('{}').describe('JSON overrides of the buyer-protection policy, e.g. {"appeal":{"maxAppeals":0}}'),
  ARBITER_IDEMPOTENCY_HOURS: z.coerce
    .number()
    .int()
    .min(24)
    .max(24 * 365)
    .default(24)
    .describe('how long idempotency keys are kept (at least 24 h)'),
  ARBITER_WEBHOOKS: z
    .string()
    .default('[]')
    .describe('webhook subscribers, JSON: [{"id":"shop","url":"http://127.0.0.1:9000/hooks","secret":"16+ characters"}]'),
  ARBITER_OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8).describe('attempts before an effect is dead-lettered'),
  ARBITER_OUTBOX_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(1000).describe('first retry delay; doubles per attempt up to 5 minutes'),
  ARBITER_EVIDENCE_DIR: z.string().min(1).optional().describe('where evidence files are stored (default: evidence/ beside the database)'),
  ARBITER_STATELY_INSPECT: z
    .url({ protocol: /^wss?$/ })
    .optional()
    .describe("a WebSocket URL of Stately's inspector (@statelyai/inspect) to stream every step to"),
  ARBITER_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe('the least severe log lines written'),
  ARBITER_LOG_FORMAT: z.enum(['json', 'text']).optional().describe('json lines (production default) or text for a person (demo default)'),
  ARBITER_SCHEDULER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000).describe('longest sleep of the deadline scheduler'),
});

export interface Config {
  port: number;
  host: string;
  mode: 'demo' | 'production';
  /** Parsed by the HTTP layer; demo mode generates and keeps one when unset. */
  tokenKeys: string | undefined;
  metricsAccess: 'public' | 'loopback' | 'authenticated';
  dbPath: string;
  /** PostgreSQL instead of SQLite when set. */
  databaseUrl?: string | undefined;
  pgSchema: string;
  durability: 'full' | 'normal';
  clock: 'system' | 'controllable';
  policy: Policy;
  schedulerPollMs: number;
  idempotencyHours: number;
  webhooks: WebhookSubscriber[];
  outboxMaxAttempts: number;
  outboxBackoffMs: number;
  evidenceDir: string;
  statelyInspectUrl: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'json' | 'text';
}

export class ConfigError extends Error {}

/** `defaults` apply where the environment is silent (e.g. `npm start` asks for demo mode). */
export function loadConfig(env: Record<string, string | undefined> = process.env, defaults: { mode?: 'demo' | 'production' } = {}): Readonly<Config> {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  let webhooks: WebhookSubscriber[];
  try {
    webhooks = WebhookSubscribers.parse(JSON.parse(e.ARBITER_WEBHOOKS));
  } catch (error) {
    const detail = error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.') || '(list)'}: ${i.message}`).join('; ') : String(error);
    throw new ConfigError(`invalid configuration:\n  ARBITER_WEBHOOKS: ${detail}`);
  }
  let policy: Policy;
  try {
    policy = parsePolicy(JSON.parse(e.ARBITER_POLICY));
  } catch (error) {
    const detail = error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : String(error);
    throw new ConfigError(`invalid configuration:\n  ARBITER_POLICY: ${detail}`);
  }
  const mode = e.ARBITER_MODE ?? defaults.mode ?? 'production';
  if (e.ARBITER_TOKEN_KEYS) {
    try {
      parseKeyRing(e.ARBITER_TOKEN_KEYS);
    } catch (error) {
      throw new ConfigError(`invalid configuration:\n  ARBITER_TOKEN_KEYS: ${(error as Error).message}`);
    }
  }
  if (mode === 'production' && !e.ARBITER_TOKEN_KEYS) {
    throw new ConfigError(
      'invalid configuration:\n  ARBITER_TOKEN_KEYS: required in production mode (kid:secret[,kid:secret...]); or run with ARBITER_MODE=demo',
    );
  }
  return Object.freeze({
    port: e.PORT,
    host: e.ARBITER_HOST,
    mode,
    tokenKeys: e.ARBITER_TOKEN_KEYS,
    metricsAccess: e.ARBITER_METRICS_ACCESS,
    dbPath: e.ARBITER_DB,
    databaseUrl: e.DATABASE_URL,
    pgSchema: e.ARBITER_PG_SCHEMA,
    durability: e.ARBITER_DURABILITY,
    clock: e.ARBITER_CLOCK ?? (mode === 'demo' ? 'controllable' : 'system'),
    policy,
    schedulerPollMs: e.ARBITER_SCHEDULER_POLL_MS,
    idempotencyHours: e.ARBITER_IDEMPOTENCY_HOURS,
    webhooks,
    outboxMaxAttempts: e.ARBITER_OUTBOX_MAX_ATTEMPTS,
    outboxBackoffMs: e.ARBITER_OUTBOX_BACKOFF_MS,
    evidenceDir: e.ARBITER_EVIDENCE_DIR ?? join(dirname(e.ARBITER_DB), 'evidence'),
    statelyInspectUrl: e.ARBITER_STATELY_INSPECT,
    logLevel: e.ARBITER_LOG_LEVEL,
    logFormat: e.ARBITER_LOG_FORMAT ?? (mode === 'demo' ? 'text' : 'json'),
  });
}
