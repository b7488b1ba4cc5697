/**
 * Our own generated suite through the real HTTP API of a started service: every path of the
 * covering set driven as a client would (its own orders and disputes, the demo clock moved for
 * deadlines), one `it` per path; together they must cover every state, transition and stage of
 * the machine's definition. Then the endpoint that serves the paths, and the command that drives them.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPath, Coverage, drivePath, generatePaths, machineTotals, targetFrom, type Target } from 'arbiter/testing';
import { mintToken } from '../server/auth/tokens.ts';
import { parsePolicy } from '../machines/index.ts';
import { startApi, testKeys, type Api } from './support/api.ts';
import { projectRoot, spawnTs } from './support/processes.ts';

let api: Api;
let target: Target;
const covering = generatePaths();
const coverage = new Coverage();
const runId = `it-${Date.now().toString(36)}`;

const tokensFor = (a: Api) => [
  a.token('buyer', 'buyer-ana'),
  a.token('seller', 'seller-bolt'),
  a.token('agent', 'agent-kim'),
  a.token('agent', 'agent-lee'),
  a.token('system', 'marketplace'),
  a.token('admin', 'admin'),
];

beforeAll(async () => {
  api = await startApi();
  target = targetFrom(api.url, tokensFor(api));
});
afterAll(() => api.stop());

describe('the covering set, driven over HTTP', () => {
  for (const path of covering.paths) {
    it(`${path.id} ${path.title}`, async () => {
      const result = await drivePath(target, path, { runId });
      assertPath(result);
      expect(result.status).toBe('passed');
      result.covers.forEach((c) => coverage.add(c));
    });
  }

  it('covered every state, transition and stage of the machine’s definition', () => {
    const totals = machineTotals();
    const report = coverage.report(totals);
    expect(report.transitions.missing).toEqual([]);
    expect(report.states.missing).toEqual([]);
    expect(report.stages.missing).toEqual([]);
    expect([report.transitions.covered, report.states.covered, report.stages.covered]).toEqual([totals.transitions.length, totals.states.length, 9]);
  });
});

describe('GET /machines/dispute/paths', () => {
  it('serves the paths of this deployment’s policy, covering the whole chart', async () => {
    const res = await api.request('GET', '/machines/dispute/paths');
    expect(res.status).toBe(200);
    const here = generatePaths({ policy: api.service.config.policy, openedAt: res.body.openedAt });
    expect(res.body.paths.map((p: { title: string }) => p.title)).toEqual(here.paths.map((p) => p.title));
    expect(res.body.paths.map((p: { steps: unknown[] }) => p.steps)).toEqual(JSON.parse(JSON.stringify(here.paths.map((p) => p.steps))));
    expect(res.body.coverage.transitions).toMatchObject({ covered: machineTotals().transitions.length, missing: [] });
    expect(res.body.paths[0].steps[0]).toMatchObject({ kind: 'open', party: 'buyer', expect: { state: expect.any(String) } });
  });

  it('takes to, kind and maxLength; an unknown target or a bad number is a 422', async () => {
    const escalated = await api.request('GET', '/machines/dispute/paths?to=escalated');
    expect(escalated.body.paths).toHaveLength(4);
    const simple = await api.request('GET', '/machines/dispute/paths?to=negotiating.proposalPending&kind=simple&maxLength=4');
    expect(simple.body.paths.length).toBeGreaterThan(1);
    expect(simple.body.paths.every((p: { steps: unknown[] }) => p.steps.length <= 4)).toBe(true);
    expect(await api.request('GET', '/machines/dispute/paths?to=limbo')).toMatchObject({ status: 422, body: { errors: [{ field: 'to' }] } });
    expect((await api.request('GET', '/machines/dispute/paths?maxLength=0')).status).toBe(422);
    expect((await api.request('GET', '/machines/dispute/paths?kind=longest')).status).toBe(422);
  });

  it('follows the deployment’s policy: without appeals, no path reaches an appeal', async () => {
    const strict = await startApi({ config: { policy: parsePolicy({ appeal: { maxAppeals: 0 } }) } });
    try {
      const res = await strict.request('GET', '/machines/dispute/paths');
      expect(res.body.policy.appeal.maxAppeals).toBe(0);
      expect(res.body.coverage.states.missing).toEqual(['resolving.decision.appealWindowOpen', 'resolving.decision.appealed']);
      const decided = res.body.paths.find((p: { title: string }) => p.title.includes('agent.decide'));
      const result = await drivePath(targetFrom(strict.url, tokensFor(strict)), decided, { runId, policy: { appeal: { maxAppeals: 0 } } });
      expect(result).toMatchObject({ status: 'passed' });
    } finally {
      await strict.stop();
    }
  });
});

describe('npx arbiter-test', () => {
  const keys = testKeys.map((k) => `${k.kid}:${k.secret}`).join(',');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'arbiter-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drives the paths to a state, prints coverage, writes JUnit and JSON, exits 0', async () => {
    const cli = spawnTs('server/cli/arbiter-test.ts', [
      '--url',
      api.url,
      '--keys',
      keys,
      '--to',
      'escalated',
      '--junit',
      `${dir}/r.xml`,
      '--json',
      `${dir}/r.json`,
    ]);
    expect((await cli.exited).code, cli.stderr()).toBe(0);
    expect(cli.lines.join('\n')).toMatch(
      new RegExp(`4 paths, 1\\d steps driven[\\s\\S]*passed 4, failed 0, skipped 0[\\s\\S]*transitions covered {2}\\d+/${machineTotals().transitions.length}`),
    );
    // Paths to one state leave most of the chart uncovered: the text names a dozen, the JSON all.
    const missing = JSON.parse(readFileSync(`${dir}/r.json`, 'utf8')).coverage.transitions.missing.length;
    expect(cli.lines.join('\n')).toMatch(/\nNot covered \(\d+\):\n( {2}(state|transition) .*\n){12} {2}… and \d+ more \(the --json report lists them all\)$/);
    expect(missing).toBeGreaterThan(12);
    expect(readFileSync(`${dir}/r.xml`, 'utf8').match(/<testcase /g)).toHaveLength(4);
    expect(JSON.parse(readFileSync(`${dir}/r.json`, 'utf8')).figures).toMatchObject({ paths: 4, passed: 4 });
  }, 60_000);

  it('where the clock cannot move, skips those paths and says why', async () => {
    const production = await startApi({ mode: 'production' });
    try {
      const cli = spawnTs('server/cli/arbiter-test.ts', ['--url', production.url, '--keys', keys, '--grep', 'deadline.sellerResponse|seller.counterOffer ›']);
      expect((await cli.exited).code, cli.stderr()).toBe(0);
      const out = cli.lines.join('\n');
      expect(out).toMatch(/skipped [1-9]/);
      expect(out).toMatch(/Skipped \(\d+\):\n {2}P\d+ .*deadline\.sellerResponse.*\n {6}(needs the clock moved|the deployment's clock cannot be moved)/);
    } finally {
      await production.stop();
    }
  }, 60_000);

  it('fails (exit 1) when no path could be driven: one admin token alone skips them all', async () => {
    const admin = mintToken(testKeys, { role: 'admin', sub: 'qa-admin' }, 3600);
    const cli = spawnTs('server/cli/arbiter-test.ts', ['--url', api.url, '--token', admin, '--to', 'escalated']);
    expect((await cli.exited).code).toBe(1);
    expect(cli.lines.join('\n')).toMatch(/passed 0, failed 0, skipped 4[\s\S]*no token for system, buyer/);
    expect(cli.stderr()).toContain('arbiter-test: no path was driven (all 4 skipped, the reasons are listed above): nothing was tested');
  }, 60_000);

  it('fails (exit 1) where the deployment differs, naming the path and the step', async () => {
    const other = await startApi({ config: { policy: parsePolicy({ appeal: { windowDays: 8 } }) } });
    try {
      const cli = spawnTs('server/cli/arbiter-test.ts', ['--url', other.url, '--keys', keys, '--to', 'resolved.noRefund']);
      expect((await cli.exited).code).toBe(1);
      expect(cli.stderr()).toMatch(/^arbiter-test: 1 path \(1 moves the clock\) against /m);
      expect(cli.lines.join('\n')).toMatch(/: 1 path, 1 step driven in /);
      expect(cli.lines.join('\n')).toMatch(
        /Failed \(1\):\n {2}P1 refund-only: resolved\.noRefund ← .*\n {6}at step 1 \(buyer opens: refund_only, not_as_described\) on dsp_\S+: the deployment froze another policy into the dispute: appeal\.windowDays is 8, expected 7/,
      );
    } finally {
      await other.stop();
    }
  }, 60_000);

  it('fails (exit 1) on a deployment whose code has a mutant planted: the appeal window one day longer', async () => {
    // A copy of the service whose appeal window closes windowDays + 1 days after the decision,
    // started as its own process; its policy is the same, so only what it does can tell.
    const copy = join(dir, 'mutant');
    for (const part of ['machines', 'server', 'db', 'diagrams', 'package.json']) cpSync(join(projectRoot, part), join(copy, part), { recursive: true });
    symlinkSync(join(projectRoot, 'node_modules'), join(copy, 'node_modules'));
    const file = join(copy, 'machines/deadlines.ts');
    const planted = 'addDays(c.decision?.at ?? enteredAt, c.policy.appeal.windowDays + 1)';
    const source = readFileSync(file, 'utf8');
    expect(source).toContain('addDays(c.decision?.at ?? enteredAt, c.policy.appeal.windowDays)');
    writeFileSync(file, source.replace('addDays(c.decision?.at ?? enteredAt, c.policy.appeal.windowDays)', planted));
    const service = spawnTs(join(copy, 'server/main.ts'), [], {
      ARBITER_DB: join(dir, 'mutant.db'),
      ARBITER_EVIDENCE_DIR: join(dir, 'mutant-evidence'),
      ARBITER_MODE: 'demo',
      ARBITER_TOKEN_KEYS: keys,
      PORT: '0',
    });
    try {
      const url = /ready at (\S+)/.exec(await service.waitFor(/^arbiter: ready at /, 30_000))![1]!;
      const cli = spawnTs('server/cli/arbiter-test.ts', ['--url', url, '--keys', keys, '--grep', 'appeal']);
      expect((await cli.exited).code, cli.stderr()).toBe(1);
      const out = cli.lines.join('\n');
      // Every path through a decision sees the window armed a day late, at the decision's step.
      expect(out).toMatch(/passed 0, failed 3, skipped 0/);
      expect(out).toMatch(
        /\n {2}P\d+ refund-only: resolved\.noRefund ← .* › agent\.decide › deadline\.appealWindow\n {6}at step 5 \(agent sends agent\.decide\) on dsp_\S+: deadline appealWindow falls due 24\.0 h later than expected \(7d after opening\)/,
      );
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  }, 90_000);
});
