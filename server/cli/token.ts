/**
 * `npm run token -- --role buyer --sub b-1 [--ttl 1h]`: mints a development token with the
 * configured keys (ARBITER_TOKEN_KEYS, or the demo key beside ARBITER_DB). In production the
 * marketplace's auth issues them with the shared secret.
 */
import { parseArgs } from 'node:util';
import { parseDuration } from '../runtime/clock.ts';
import { loadConfig } from '../config.ts';
import { httpRoles, mintToken, type HttpRole } from '../auth/tokens.ts';
import { resolveKeys } from '../auth/keys.ts';

const { values } = parseArgs({ options: { role: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string', default: '30d' } } });
if (!values.role || !httpRoles.includes(values.role as HttpRole) || !values.sub) {
  console.error(`usage: npm run token -- --role <${httpRoles.join('|')}> --sub <party id> [--ttl 30d]`);
  process.exit(2);
}
const config = loadConfig(process.env, { mode: process.env.ARBITER_TOKEN_KEYS ? 'production' : 'demo' });
const token = mintToken(resolveKeys(config), { role: values.role as HttpRole, sub: values.sub }, Math.floor(parseDuration(values.ttl) / 1000));
console.log(token);
