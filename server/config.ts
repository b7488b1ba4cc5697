/**
 * Configuration from environment variables, parsed strictly once at start-up into a frozen
 * object. Every problem is one line naming the variable and the form it expects; an unknown
 * `ARBITER_*` variable is a problem too (a misspelt one would otherwise be silently ignored).
 * The variables themselves, with their forms and defaults, are listed in `config-vars.ts`.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Policy } from '../machines/index.ts';
import { variables, isToolingVariable, nearestName, type Variable } from './config-vars.ts';
import type { WebhookSubscriber } from './effects/webhooks.ts';

export { configHelp } from './config-vars.ts';

/** The edge of the service: what one client may hold or send, and how long it may take. */
export interface EdgeConfig {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  streamsMax: number;
  streamsPerPrincipal: number;
  streamHeartbeatMs: number;
  rateLimits: boolean;
  writesPerMinute: number;
  addressWritesPerMinute: number;
  signInsPerMinute: number;
  /** The largest amount (price, shipping, refund) accepted, in minor units. */
  maxAmount: number;
  /** The longest single move of the demo clock. */
  clockMaxAdvanceMs: number;
  /** Free space the database's disk must have for /readyz to say ready. */
  readyMinFreeBytes: number;
}

export interface AuthConfig {
  /** Where the identity provider publishes its RS256 / ES256 keys. */
  jwksUrl: string | undefined;
  /** Tokens living longer than this (exp - iat) are refused. */
  tokenMaxLifetimeSeconds: number;
  /** How long an inspector session lasts (never beyond the token it was made from). */
  sessionSeconds: number;
}

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
  edge: EdgeConfig;
  auth: AuthConfig;
}

/** A configuration problem: its message is the lines to print, no stack trace. */
export class ConfigError extends Error {}

/** The edge and auth settings when no variable says otherwise (tests start from these too). */
export const defaultEdge: Readonly<EdgeConfig> = Object.freeze(edgeOf(defaultsOf()));
export const defaultAuth: Readonly<AuthConfig> = Object.freeze(authOf(defaultsOf()));

type Values = Record<string, unknown>;

function defaultsOf(): Values {
  return Object.fromEntries(Object.entries(variables).map(([name, v]) => [name, v.default === undefined ? undefined : v.schema.parse(v.default)]));
}

/** `defaults` apply where the environment is silent (e.g. `npm start` asks for demo mode). */
export function loadConfig(env: Record<string, string | undefined> = process.env, defaults: { mode?: 'demo' | 'production' } = {}): Readonly<Config> {
  const problems: string[] = [];
  for (const name of Object.keys(env)) {
    if (!name.startsWith('ARBITER_') || Object.hasOwn(variables, name) || isToolingVariable(name)) continue;
    const near = nearestName(name);
    problems.push(`${name}: not a setting of Arbiter${near ? `; did you mean ${near}?` : ''} (npm start -- --help lists them)`);
  }
  const e: Values = {};
  for (const [name, variable] of Object.entries(variables)) {
    const raw = env[name] === '' ? undefined : env[name];
    const problem = parseOne(name, variable, raw ?? variable.default, e);
    if (problem) problems.push(problem);
  }
  const mode = (e.ARBITER_MODE as Config['mode'] | undefined) ?? defaults.mode ?? 'production';
  if (problems.length === 0) problems.push(...crossChecks(e, mode));
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `invalid configuration: ${p}`).join('\n'));
  const dbPath = e.ARBITER_DB as string;
  return Object.freeze({
    port: e.PORT as number,
    host: e.ARBITER_HOST as string,
    mode,
    tokenKeys: e.ARBITER_TOKEN_KEYS as string | undefined,
    metricsAccess: e.ARBITER_METRICS_ACCESS as Config['metricsAccess'],
    dbPath,
    databaseUrl: e.DATABASE_URL as string | undefined,
    pgSchema: e.ARBITER_PG_SCHEMA as string,
    durability: e.ARBITER_DURABILITY as Config['durability'],
    clock: (e.ARBITER_CLOCK as Config['clock'] | undefined) ?? (mode === 'demo' ? 'controllable' : 'system'),
    policy: e.ARBITER_POLICY as Policy,
    schedulerPollMs: e.ARBITER_SCHEDULER_POLL_MS as number,
    idempotencyHours: e.ARBITER_IDEMPOTENCY_HOURS as number,
    webhooks: e.ARBITER_WEBHOOKS as WebhookSubscriber[],
    outboxMaxAttempts: e.ARBITER_OUTBOX_MAX_ATTEMPTS as number,
    outboxBackoffMs: e.ARBITER_OUTBOX_BACKOFF_MS as number,
    evidenceDir: (e.ARBITER_EVIDENCE_DIR as string | undefined) ?? join(dirname(dbPath), 'evidence'),
    statelyInspectUrl: e.ARBITER_STATELY_INSPECT as string | undefined,
    logLevel: e.ARBITER_LOG_LEVEL as Config['logLevel'],
    logFormat: (e.ARBITER_LOG_FORMAT as Config['logFormat'] | undefined) ?? (mode === 'demo' ? 'text' : 'json'),
    edge: Object.freeze(edgeOf(e)),
    auth: Object.freeze(authOf(e)),
  });
}

function edgeOf(e: Values): EdgeConfig {
  return {
    headersTimeoutMs: e.ARBITER_HEADERS_TIMEOUT_MS as number,
    requestTimeoutMs: e.ARBITER_REQUEST_TIMEOUT_MS as number,
    keepAliveTimeoutMs: e.ARBITER_KEEPALIVE_TIMEOUT_MS as number,
    maxConnections: e.ARBITER_MAX_CONNECTIONS as number,
    streamsMax: e.ARBITER_STREAMS_MAX as number,
    streamsPerPrincipal: e.ARBITER_STREAMS_PER_PRINCIPAL as number,
    streamHeartbeatMs: e.ARBITER_STREAM_HEARTBEAT_MS as number,
    rateLimits: e.ARBITER_RATE_LIMITS === 'on',
    writesPerMinute: e.ARBITER_RATE_WRITES_PER_MINUTE as number,
    addressWritesPerMinute: e.ARBITER_RATE_ADDRESS_PER_MINUTE as number,
    signInsPerMinute: e.ARBITER_RATE_SIGNINS_PER_MINUTE as number,
    maxAmount: e.ARBITER_MAX_AMOUNT as number,
    clockMaxAdvanceMs: e.ARBITER_CLOCK_MAX_ADVANCE as number,
    readyMinFreeBytes: (e.ARBITER_READY_MIN_FREE_MB as number) * 1024 * 1024,
  };
}

function authOf(e: Values): AuthConfig {
  return {
    jwksUrl: e.ARBITER_JWKS_URL as string | undefined,
    tokenMaxLifetimeSeconds: (e.ARBITER_TOKEN_MAX_LIFETIME_HOURS as number) * 3600,
    sessionSeconds: (e.ARBITER_SESSION_HOURS as number) * 3600,
  };
}

/** Parses one variable into `into`; returns its problem, naming it and the form it expects. */
function parseOne(name: string, variable: Variable, raw: string | undefined, into: Values): string | undefined {
  if (raw === undefined) return undefined;
  const parsed = variable.schema.safeParse(raw);
  if (parsed.success) {
    into[name] = parsed.data;
    return undefined;
  }
  const detail = parsed.error.issues
    .filter((i) => i.path.length > 0 || variable.detailed)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  const shown = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  return `${name}: ${detail ? `${detail}; ` : ''}expected ${variable.form} (got ${JSON.stringify(shown)})`;
}

/** What no single variable can say: the mode needs keys, the database path must be usable. */
function crossChecks(e: Values, mode: Config['mode']): string[] {
  const problems: string[] = [];
  if (mode === 'production' && !e.ARBITER_TOKEN_KEYS && !e.ARBITER_JWKS_URL) {
    problems.push('ARBITER_TOKEN_KEYS: required in production mode (kid:secret[,kid:secret...]), or ARBITER_JWKS_URL; or run with ARBITER_MODE=demo');
  }
  if ((e.ARBITER_HEADERS_TIMEOUT_MS as number) > (e.ARBITER_REQUEST_TIMEOUT_MS as number))
    problems.push('ARBITER_HEADERS_TIMEOUT_MS: longer than ARBITER_REQUEST_TIMEOUT_MS; expected at most the whole request’s time');
  if (!e.DATABASE_URL) {
    const unusable = unusablePath(e.ARBITER_DB as string);
    if (unusable) problems.push(`ARBITER_DB: ${unusable}; expected the path of a SQLite file in a folder this process may write`);
  }
  return problems;
}

/** Why a database path cannot be read and written (or created), if it cannot. */
function unusablePath(path: string): string | undefined {
  const absolute = resolve(path);
  if (existsSync(absolute)) {
    if (!statSync(absolute).isFile()) return `${path} is not a file`;
    try {
      accessSync(absolute, constants.R_OK | constants.W_OK);
    } catch {
      return `${path} cannot be read and written by this process`;
    }
    return undefined;
  }
  let folder = dirname(absolute);
  while (!existsSync(folder)) folder = dirname(folder);
  if (!statSync(folder).isDirectory()) return `${path} cannot be created: ${folder} is not a folder`;
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    return `${path} cannot be created: ${folder} is not writable by this process`;
  }
  return undefined;
}
