/**
 * Security: configuration parsed strictly and commands that explain themselves. A bad, unknown
 * or misspelt setting stops start-up with one line naming the variable and the form it expects
 * (exit code 2, no stack trace); every command answers --help; `npm start` prints sign-in links
 * with one-time codes, never tokens.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.ts';
import { spawnTs } from './support/processes.ts';
import { tempDir } from './support/service.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('arbiter-config-');
});
afterEach(() => tmp.cleanup());

function refusal(env: Record<string, string>): string {
  try {
    loadConfig({ ARBITER_DB: tmp.dbPath, ARBITER_MODE: 'demo', ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('settings', () => {
  it.each([
    [{ PORT: 'abc' }, /^invalid configuration: PORT: expected an integer from 0 to 65535 \(got "abc"\)$/],
    [{ PORT: '70000' }, /PORT: expected an integer/],
    [{ PORT: '3e3' }, /PORT: expected an integer/],
    [{ PORT: ' 80' }, /PORT: expected an integer/],
    [{ PORT: '-1' }, /PORT: expected an integer/],
    [{ ARBITER_HOST: 'bad host!' }, /ARBITER_HOST: expected an IP address or a host name/],
    [{ ARBITER_HOST: 'http://127.0.0.1' }, /ARBITER_HOST: expected/],
    [{ ARBITER_DURABILTY: 'full' }, /ARBITER_DURABILTY: not a setting of Arbiter; did you mean ARBITER_DURABILITY\?/],
    [{ ARBITER_TOKEN_KEY: 'k1:0123456789abcdef0123456789abcdef' }, /did you mean ARBITER_TOKEN_KEYS\?/],
    [{ ARBITER_SOMETHING_ELSE: '1' }, /ARBITER_SOMETHING_ELSE: not a setting of Arbiter/],
    [{ ARBITER_RATE_LIMITS: 'maybe' }, /ARBITER_RATE_LIMITS: expected one of on, off/],
    [{ ARBITER_MAX_CONNECTIONS: '0' }, /ARBITER_MAX_CONNECTIONS: expected an integer from 1/],
    [{ ARBITER_CLOCK_MAX_ADVANCE: 'forever' }, /ARBITER_CLOCK_MAX_ADVANCE: expected a duration/],
    [{ ARBITER_JWKS_URL: 'ftp://idp/keys' }, /ARBITER_JWKS_URL: expected an http\(s\) URL/],
    [{ ARBITER_HEADERS_TIMEOUT_MS: '60000', ARBITER_REQUEST_TIMEOUT_MS: '1000' }, /ARBITER_HEADERS_TIMEOUT_MS: longer than ARBITER_REQUEST_TIMEOUT_MS/],
    [{ ARBITER_WEBHOOKS: '[{"id":"x"}]' }, /ARBITER_WEBHOOKS: 0\.url: .*expected JSON/],
    [
      { ARBITER_WEBHOOKS: '[{"id":"x","url":"http://127.0.0.1:9000/hooks","secret":"an-old-style-secret-0123456789"}]' },
      /ARBITER_WEBHOOKS: 0\.secret: a Standard Webhooks secret: whsec_ then 24 to 64 random bytes in base64/,
    ],
    [{ ARBITER_WEBHOOKS: '[{"id":"x","url":"http://127.0.0.1:9000/hooks","secret":"whsec_c2hvcnQ="}]' }, /ARBITER_WEBHOOKS: 0\.secret: a Standard Webhooks/],
    [{ ARBITER_MODE: 'production' }, /ARBITER_TOKEN_KEYS: required in production mode/],
  ])('%o: one line naming the variable and the expected form', (env, message) => {
    const text = refusal(env);
    expect(text).toMatch(message);
    expect(text.split('\n')).toHaveLength(1);
  });

  it('an unreadable database path is refused before anything is created', () => {
    const file = join(tmp.dir, 'a-file');
    writeFileSync(file, 'x');
    expect(refusal({ ARBITER_DB: join(file, 'arbiter.db') })).toMatch(/ARBITER_DB: .* is not a folder; expected the path of a SQLite file/);
    const folder = join(tmp.dir, 'a-folder');
    mkdirSync(folder);
    expect(refusal({ ARBITER_DB: folder })).toMatch(/ARBITER_DB: .* is not a file/);
    expect(existsSync(join(file, 'arbiter.db'))).toBe(false);
  });

  it('the tools’ own variables are not mistaken for settings', () => {
    expect(() => loadConfig({ ARBITER_DB: tmp.dbPath, ARBITER_MODE: 'demo', ARBITER_WORKTREE_GUARD: 'off', ARBITER_TEST_PG_URL: 'x' })).not.toThrow();
  });
});

describe('the service process', () => {
  it.each([
    [{ ARBITER_DURABILTY: 'full' }, 'ARBITER_DURABILTY'],
    [{ PORT: '99999' }, 'PORT'],
    [{ ARBITER_HOST: '203.0.113.7' }, 'ARBITER_HOST'], // well-formed, but no interface of this machine
  ])('%o stops start-up with exit code 2 and one line, no stack trace', async (env, name) => {
    const child = spawnTs('server/main.ts', ['--demo'], { ARBITER_DB: tmp.dbPath, PORT: '0', ...env });
    expect((await child.exited).code).toBe(2);
    const lines = child.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(lines[0]).toMatch(/expected|not a setting/);
  });

  it('every command answers --help', async () => {
    const commands: [string, RegExp][] = [
      ['server/main.ts', /ARBITER_JWKS_URL[\s\S]*ARBITER_RATE_LIMITS/],
      ['server/cli/verify.ts', /usage: npm run verify/],
      ['server/cli/token.ts', /usage: npm run token/],
      ['server/cli/webhook-receiver.ts', /usage: npm run webhook-receiver/],
      ['server/cli/stately-relay.ts', /usage: npm run stately-relay/],
    ];
    await Promise.all(
      commands.map(async ([file, text]) => {
        const child = spawnTs(file, ['--help'], { ARBITER_DB: tmp.dbPath });
        expect((await child.exited).code, file).toBe(0);
        expect(child.lines.join('\n'), file).toMatch(text);
      }),
    );
    expect(existsSync(tmp.dbPath)).toBe(false);
  });

  it('a bad command line is refused with its usage, exit code 2', async () => {
    const token = spawnTs('server/cli/token.ts', ['--role', 'root', '--sub', 'x'], { ARBITER_DB: tmp.dbPath });
    const verify = spawnTs('server/cli/verify.ts', [join(tmp.dir, 'missing.db')]);
    expect((await token.exited).code).toBe(2);
    expect(token.stderr()).toMatch(/--role must be one of/);
    expect((await verify.exited).code).toBe(2);
    expect(existsSync(join(tmp.dir, 'missing.db'))).toBe(false);
  });

  it('npm start prints sign-in links with one-time codes, never tokens; a code signs in once', async () => {
    const child = spawnTs('server/main.ts', ['--demo'], { ARBITER_DB: tmp.dbPath, PORT: '0' });
    try {
      await child.waitFor(/^arbiter: ready at /);
      const links = child.lines.filter((l) => l.includes('/inspect#'));
      expect(links.length).toBeGreaterThan(0);
      expect(links.every((l) => /\/inspect#code=[\w-]{43}$/.test(l))).toBe(true);
      const link = new URL(links[0]!.trim().split(/\s+/).at(-1)!);
      const code = new URLSearchParams(link.hash.slice(1)).get('code');
      const signIn = () => fetch(`${link.origin}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      expect((await signIn()).status).toBe(201);
      expect((await signIn()).status).toBe(401);
    } finally {
      child.child.kill('SIGTERM');
      await child.exited;
    }
  });
});
