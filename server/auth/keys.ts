/**
 * The HS256 token keys in force. Production reads ARBITER_TOKEN_KEYS (none when only
 * ARBITER_JWKS_URL is set). Demo mode, when it is unset, generates one key and keeps it beside
 * the database (`demo-keys.txt`), so the tokens it printed keep working across restarts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseKeyRing, type KeyRing } from './tokens.ts';

export function resolveKeys(config: {
  tokenKeys: string | undefined;
  mode: 'demo' | 'production';
  dbPath: string;
  auth?: { jwksUrl: string | undefined };
}): KeyRing {
  if (config.tokenKeys) return parseKeyRing(config.tokenKeys);
  // An identity provider's key set may be the only source of tokens in production.
  if (config.mode !== 'demo' && config.auth?.jwksUrl) return [];
  if (config.mode !== 'demo') throw new Error('ARBITER_TOKEN_KEYS is required in production mode');
  const file = join(dirname(config.dbPath), 'demo-keys.txt');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `demo:${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  }
  return parseKeyRing(readFileSync(file, 'utf8').trim());
}
