/**
 * Every environment variable the service reads: the form it expects (said back when a value is
 * wrong), what it means and its default. `npm start -- --help` prints this list; `config.ts`
 * parses the environment with it.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { parsePolicy } from '../machines/index.ts';
import { parseKeyRing } from './auth/tokens.ts';
import { WebhookSubscribers } from './effects/webhooks.ts';
import { parseDuration } from './runtime/clock.ts';

export interface Variable {
  schema: z.ZodType<unknown, string>;
  /** The expected form, in words: "an integer from 0 to 65535". */
  form: string;
  meaning: string;
  default?: string;
  /** Whether the parser's own message helps (JSON fields, key lists), beside the form. */
  detailed?: boolean;
}

const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max));
const int = (min: number, max: number, meaning: string, fallback: number): Variable => ({
  schema: whole(min, max),
  form: `an integer from ${min} to ${max}`,
  meaning,
  default: String(fallback),
});
const oneOf = (values: readonly [string, ...string[]], meaning: string, fallback?: string): Variable => ({
  schema: z.enum(values),
  form: `one of ${values.join(', ')}`,
  meaning,
  ...(fallback === undefined ? {} : { default: fallback }),
});
const duration = (maxMs: number, meaning: string, fallback: string): Variable => ({
  schema: z.string().transform((text, ctx) => {
    try {
      const ms = parseDuration(text);
      if (ms >= 1000 && ms <= maxMs) return ms;
    } catch {
      // said below
    }
    ctx.addIssue({ code: 'custom', message: 'not a duration in range' });
    return z.NEVER;
  }),
  form: `a duration from 1s to ${maxMs / 86_400_000}d, such as 90s, 15m, 6h or 30d`,
  meaning,
  default: fallback,
});

const hostname = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Parses JSON, then the schema; each issue names its field. */
const jsonOf = (parse: (value: unknown) => unknown) =>
  z.string().transform((text, ctx) => {
    try {
      return parse(JSON.parse(text));
    } catch (error) {
      if (error instanceof z.ZodError)
        for (const issue of error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path.length ? issue.path : ['(list)'] });
      else ctx.addIssue({ code: 'custom', message: 'not valid JSON', path: ['(JSON)'] });
      return z.NEVER;
    }
  });

export const variables: Record<string, Variable> = {
  PORT: int(0, 65535, 'HTTP port (0 picks a free one)', 3000),
  ARBITER_HOST: {
    schema: z.string().refine((h) => isIP(h) !== 0 || hostname.test(h)),
    form: 'an IP address or a host name, e.g. 127.0.0.1, 0.0.0.0 or ::1',
    meaning: 'interface to listen on (0.0.0.0 for all)',
    default: '127.0.0.1',
  },
  ARBITER_MODE: oneOf(['demo', 'production'], 'demo: seeded data, printed tokens, controllable clock; production: tokens from ARBITER_TOKEN_KEYS'),
  ARBITER_TOKEN_KEYS: {
    schema: z.string().superRefine((text, ctx) => {
      try {
        parseKeyRing(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
    form: 'kid:secret[,kid:secret...] with secrets of 32+ characters (the first signs)',
    meaning: 'HS256 signing keys of bearer tokens',
    detailed: true,
  },
  ARBITER_JWKS_URL: {
    schema: z.url({ protocol: /^https?$/ }),
    form: 'an http(s) URL of a JSON Web Key Set',
    meaning: "the identity provider's RS256 / ES256 token keys",
  },
  ARBITER_TOKEN_MAX_LIFETIME_HOURS: int(1, 24 * 366, 'tokens living longer than this (exp - iat) are refused', 30 * 24),
  ARBITER_SESSION_HOURS: int(1, 24 * 90, 'how long an inspector session lasts (never beyond its token)', 12),
  ARBITER_METRICS_ACCESS: oneOf(['public', 'loopback', 'authenticated'], 'who may read /metrics', 'loopback'),
  ARBITER_DB: {
    schema: z.string().min(1),
    form: 'a file path',
    meaning: 'SQLite database file (created with its folder if missing)',
    default: 'data/arbiter.db',
  },
  DATABASE_URL: {
    schema: z.string().regex(/^postgres(ql)?:\/\//),
    form: 'a postgres:// URL, e.g. postgres://user@host:5432/database',
    meaning: 'PostgreSQL instead of SQLite, for several instances',
  },
  ARBITER_PG_SCHEMA: {
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/),
    form: 'a lower-case schema name',
    meaning: 'the PostgreSQL schema the tables live in',
    default: 'public',
  },
  ARBITER_DURABILITY: oneOf(['full', 'normal'], 'full: an acknowledged event survives power loss; normal: a process crash only', 'full'),
  ARBITER_CLOCK: oneOf(['system', 'controllable'], 'controllable: system time plus a persisted offset that only grows (demo and tests)'),
  ARBITER_CLOCK_MAX_ADVANCE: duration(3650 * 86_400_000, 'the longest single move of the demo clock', '400d'),
  ARBITER_POLICY: {
    schema: jsonOf((value) => parsePolicy(value as Parameters<typeof parsePolicy>[0])),
    form: 'JSON overrides of the policy, e.g. {"appeal":{"maxAppeals":0}}',
    meaning: 'buyer-protection policy overrides (new disputes only)',
    default: '{}',
  },
  ARBITER_MAX_AMOUNT: int(1, 2 ** 50, 'the largest price, shipping cost or amount accepted, in minor units', 1_000_000_000),
  ARBITER_IDEMPOTENCY_HOURS: int(24, 24 * 365, 'how long idempotency keys are kept, in real time (the demo clock does not age them)', 24),
  ARBITER_WEBHOOKS: {
    schema: jsonOf((value) => WebhookSubscribers.parse(value)),
    form: 'JSON [{"id","url","secret"}] with secrets whsec_<base64 of 24 to 64 random bytes>',
    meaning: 'webhook subscribers',
    default: '[]',
  },
  ARBITER_OUTBOX_MAX_ATTEMPTS: int(1, 100, 'attempts before an effect is dead-lettered', 8),
  ARBITER_OUTBOX_BACKOFF_MS: int(1, 3_600_000, 'first retry delay; doubles per attempt up to 5 minutes', 1000),
  ARBITER_EVIDENCE_DIR: {
    schema: z.string().min(1),
    form: 'a folder path',
    meaning: 'where evidence files are stored (default: evidence/ beside the database)',
  },
  ARBITER_STATELY_INSPECT: {
    schema: z.url({ protocol: /^wss?$/ }),
    form: 'a ws:// or wss:// URL',
    meaning: "a relay to Stately's inspector (npm run stately-relay) to stream every step to",
  },
  ARBITER_LOG_LEVEL: oneOf(['debug', 'info', 'warn', 'error'], 'the least severe log lines written', 'info'),
  ARBITER_LOG_FORMAT: oneOf(['json', 'text'], 'json lines (production default) or text for a person (demo default)'),
  ARBITER_SCHEDULER_POLL_MS: int(10, 60_000, 'longest sleep of the deadline scheduler', 1000),
  ARBITER_HEADERS_TIMEOUT_MS: int(100, 600_000, 'a client must send its request headers within this', 10_000),
  ARBITER_REQUEST_TIMEOUT_MS: int(100, 3_600_000, 'a client must send its whole request within this', 120_000),
  ARBITER_KEEPALIVE_TIMEOUT_MS: int(100, 600_000, 'an idle kept-alive connection is closed after this', 5000),
  ARBITER_MAX_CONNECTIONS: int(1, 1_000_000, 'open connections at once; more are refused', 1024),
  ARBITER_STREAMS_MAX: int(1, 1_000_000, 'open event streams at once, in total', 500),
  ARBITER_STREAMS_PER_PRINCIPAL: int(1, 10_000, 'open event streams at once, per party', 8),
  ARBITER_STREAM_HEARTBEAT_MS: int(100, 600_000, 'a comment line on idle event streams this often (credentials checked again)', 15_000),
  ARBITER_RATE_LIMITS: oneOf(['on', 'off'], 'rate limits on writes and sign-ins (429 with Retry-After)', 'on'),
  ARBITER_RATE_WRITES_PER_MINUTE: int(1, 1_000_000, 'writes per minute per token (bursts up to as many)', 600),
  ARBITER_RATE_ADDRESS_PER_MINUTE: int(1, 1_000_000, 'writes per minute per client address', 1200),
  ARBITER_RATE_SIGNINS_PER_MINUTE: int(1, 1_000_000, 'sign-ins (POST /session) per minute per client address', 30),
  ARBITER_READY_MIN_FREE_MB: int(0, 1_000_000, '/readyz answers 503 when the database disk has less free space', 64),
};

/** Variables of the tests and tools around the service, which it does not read. */
export function isToolingVariable(name: string): boolean {
  return ['ARBITER_WORKTREE_GUARD', 'ARBITER_ARTIFACTS', 'ARBITER_TOKEN'].includes(name) || /^ARBITER_(TEST|BENCH)_/.test(name);
}

/** The known variable a misspelt one most likely meant, if any is close. */
export function nearestName(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const known of Object.keys(variables)) {
    const distance = editDistance(name, known);
    if (distance <= 3 && (!best || distance < best.distance)) best = { name: known, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length]!;
}

/** The list `--help` prints: each variable, its form, default and meaning. */
export function configHelp(): string {
  return Object.entries(variables)
    .map(([name, v]) => `  ${name}\n      ${v.meaning}\n      ${v.form}${v.default === undefined ? '' : `; default ${v.default}`}`)
    .join('\n');
}
