/**
 * The README's curl walk-through, run as written (bash, curl, node) against a real server seeded
 * as `npm start` seeds the demo, twice in a row, and its printed output compared each time with
 * what the README says it prints.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoParties, seedDemo } from '../server/cli/demo-seed.ts';
import { startApi, type Api } from './support/api.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function section(start: string, end: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`README lacks ${start} … ${end}`);
  return readme.slice(from + start.length, to);
}

let api: Api;
beforeAll(async () => {
  api = await startApi();
  await seedDemo(api.service);
});
afterAll(() => api.stop());

async function runWalkthrough(): Promise<string> {
  const script = /```sh\n([\s\S]*?)```/.exec(section('<!-- walkthrough:start -->', '<!-- walkthrough:end -->'))![1]!;
  const env: Record<string, string> = { ...process.env, BASE: api.url };
  for (const party of Object.values(demoParties)) env[party.variable] = api.token(party.role, party.sub);
  // Asynchronously: the server answering curl runs in this process. The walk-through writes a
  // file (step 7), so it runs in a folder of its own, never in the work tree.
  const cwd = mkdtempSync(join(tmpdir(), 'arbiter-walkthrough-'));
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { cwd, env, encoding: 'utf8', timeout: 60_000 }).finally(() =>
    rmSync(cwd, { recursive: true, force: true }),
  );
  return stdout;
}

it('every party of the seeded disputes gets a printed demo token', async () => {
  const { items } = (await api.request('GET', '/disputes?limit=100', { token: api.token('support', 'support-sam') })).body as {
    items: { buyerId: string; sellerId: string }[];
  };
  expect(items.length).toBeGreaterThan(0);
  const printed = new Set<string>(Object.values(demoParties).map((p) => p.sub));
  for (const d of items) expect([printed.has(d.buyerId), printed.has(d.sellerId)], `${d.buyerId} / ${d.sellerId}`).toEqual([true, true]);
});

it.each([1, 2])('the walk-through runs as written on the seeded demo (run %i) and prints what the README says', async () => {
  const output = await runWalkthrough();
  if (process.env.SHOW_WALKTHROUGH) console.log(output);
  const afterBlock = readme.slice(readme.indexOf('<!-- walkthrough:end -->'));
  const expected = /It prints, in order:\n\n```\n([\s\S]*?)```/.exec(afterBlock)![1]!.trimEnd().split('\n');
  const actual = output.trimEnd().split('\n');
  let i = 0;
  for (const [n, line] of expected.entries()) {
    if (line === '…' && n === expected.length - 1) {
      i = actual.length; // a trailing … stands for the rest
      continue;
    }
    if (line === '…') {
      const next = expected[n + 1];
      while (i < actual.length && next !== undefined && actual[i] !== next && !(next.endsWith('…') && actual[i]!.startsWith(next.slice(0, -1)))) i += 1;
      continue;
    }
    const got = actual[i] ?? '(nothing)';
    if (line.endsWith('…')) expect(got.startsWith(line.slice(0, -1)), `line ${i + 1}: ${got} should start with ${line}`).toBe(true);
    else expect(got, `line ${i + 1}`).toBe(line);
    i += 1;
  }
  expect(i).toBe(actual.length);
});
