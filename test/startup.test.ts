/** The service process: configuration errors stop start-up by name; SIGTERM stops it cleanly. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { spawnTs } from './support/processes.ts';
import { tempDir } from './support/service.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('arbiter-startup-');
});
afterEach(() => tmp.cleanup());

it.each([
  [{ PORT: 'abc' }, /PORT/],
  [{ ARBITER_DURABILITY: 'sometimes' }, /ARBITER_DURABILITY/],
  [{ ARBITER_POLICY: '{"negotiation":{"sellerResponseDays":99}}' }, /ARBITER_POLICY: negotiation.sellerResponseDays/],
  [{ ARBITER_MODE: 'production' }, /ARBITER_TOKEN_KEYS: required in production/],
  [{ ARBITER_MODE: 'production', ARBITER_TOKEN_KEYS: 'k1:short' }, /shorter than 32/],
])('refuses to start on a bad setting (%o), naming it', async (env, message) => {
  const child = spawnTs('server/main.ts', [], { ARBITER_DB: tmp.dbPath, PORT: '0', ...env });
  const { code } = await child.exited;
  expect(code).not.toBe(0);
  expect(child.stderr()).toMatch(message);
  expect(child.stderr()).not.toMatch(/^\s+at /m); // a message, not a stack trace
});

it('serves, then stops on SIGTERM: exit 0, the port closed', async () => {
  const child = spawnTs('server/main.ts', ['--demo'], { ARBITER_DB: tmp.dbPath, PORT: '0' });
  const ready = await child.waitFor(/^arbiter: ready at /);
  const url = /ready at (\S+)/.exec(ready)![1]!;
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect(child.lines.some((l) => /Demo tokens/.test(l))).toBe(true);
  child.child.kill('SIGTERM');
  expect((await child.exited).code).toBe(0);
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
});
