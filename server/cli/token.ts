/**
 * `npm run token -- --role buyer --sub b-1 [--ttl 1h]`: mints a development token with the
 * configured keys (ARBITER_TOKEN_KEYS, or the demo key beside ARBITER_DB). In production the
 * marketplace's auth issues them with the shared secret.
 */
import { parseArgs } from 'node:util';
import { parseDuration } from '../runtime/clock.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { httpRoles, mintToken, type HttpRole } from '../auth/tokens.ts';
import { resolveKeys } from '../auth/keys.ts';

const usage = `usage: npm run token -- --role <${httpRoles.join('|')}> --sub <party id> [--ttl 30d]

Mints an HS256 token signed with the first key of ARBITER_TOKEN_KEYS, or with the demo key kept
beside ARBITER_DB (data/demo-keys.txt) when that is unset. --ttl is a duration (90s, 15m, 6h, 30d).`;

function fail(message: string): never {
  console.error(`token: ${message}\n\n${usage}`);
  process.exit(2);
}

let values: { role?: string | undefined; sub?: string | undefined; ttl: string; help?: boolean | undefined };
try {
  ({ values } = parseArgs({
    options: { role: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string', default: '30d' }, help: { type: 'boolean', short: 'h' } },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!values.role || !httpRoles.includes(values.role as HttpRole)) fail(`--role must be one of ${httpRoles.join(', ')}`);
if (!values.sub) fail('--sub names the party (its id at the marketplace)');
let ttlSeconds: number;
try {
  ttlSeconds = Math.floor(parseDuration(values.ttl) / 1000);
} catch (error) {
  fail(`--ttl: ${(error as Error).message}`);
}
try {
  const config = loadConfig(process.env, { mode: process.env.ARBITER_TOKEN_KEYS ? 'production' : 'demo' });
  console.log(mintToken(resolveKeys(config), { role: values.role as HttpRole, sub: values.sub }, ttlSeconds));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}
