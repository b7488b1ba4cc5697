#!/usr/bin/env -S node --import tsx
/**
 * `npm run model-test -- --url http://127.0.0.1:3000` (also `npx arbiter-test` where the package
 * is installed): generates paths from the statechart and the policy the deployment is expected to
 * run, drives each over HTTP with its own orders and disputes, and prints what it covered and
 * every failure with its path and step. Exit code 1 on any failure or when no path could be driven
 * (every one skipped), 2 on a usage error.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseKeyRing, mintToken } from '../auth/tokens.ts';
import { generatePaths, jsonReport, junitReport, runPaths, targetFrom, textReport, type PathKind, type PathResult } from '../testing/index.ts';
import { progressBar } from '../testing/progress.ts';
import { count } from '../testing/report.ts';

const usage = `usage: npm run model-test -- [options]      (or: npx arbiter-test [options])

  --url URL           the deployment (default http://127.0.0.1:3000, or $BASE)
  --token JWT         a token, repeated: its role claim says whose (buyer, seller, agent twice, system, admin).
                      Default: $BUYER $SELLER $AGENT $AGENT2 $SYSTEM $ADMIN, as \`npm start\` prints them
  --keys kid:secret   mint the tokens instead, with the deployment's ARBITER_TOKEN_KEYS
  --policy JSON       the policy the deployment runs (its ARBITER_POLICY; default {})
  --to STATE|STAGE    only paths to this state (or prefix) or stage; default: paths covering the whole chart
  --kind K            shortest (default) or simple
  --max-length N      steps per path at most
  --max-paths N       paths at most
  --grep REGEX        only paths whose title matches
  --concurrency N     paths driven at once (default 8; those that move the clock run alone)
  --junit FILE        write a JUnit XML report
  --json FILE         write a JSON report
  --run-id ID         prefix of the order ids it creates (default: a fresh one)

Paths that need the clock moved run only where POST /admin/clock/advance works (demo mode);
elsewhere they are skipped, each listed with the reason.

Exit code: 0 when every path driven passed, 1 on any failure or when no path could be driven
(all skipped: a token missing, the clock fixed), 2 on a usage error.`;

function fail(message: string): never {
  console.error(`arbiter-test: ${message}\n\n${usage}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        url: { type: 'string' },
        token: { type: 'string', multiple: true },
        keys: { type: 'string' },
        policy: { type: 'string' },
        to: { type: 'string' },
        kind: { type: 'string' },
        'max-length': { type: 'string' },
        'max-paths': { type: 'string' },
        grep: { type: 'string' },
        concurrency: { type: 'string' },
        junit: { type: 'string' },
        json: { type: 'string' },
        'run-id': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const number = (name: string, text: string | undefined) => {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fail(`--${name} takes a positive whole number, not ${text}`);
};

function tokens(): string[] {
  if (values.keys) {
    const keys = parseKeyRing(values.keys);
    const mint = (role: 'buyer' | 'seller' | 'agent' | 'system' | 'admin', sub: string) => mintToken(keys, { role, sub }, 24 * 3600);
    return [
      mint('buyer', 'qa-buyer'),
      mint('seller', 'qa-seller'),
      mint('agent', 'qa-agent'),
      mint('agent', 'qa-second-agent'),
      mint('system', 'qa-marketplace'),
      mint('admin', 'qa-admin'),
    ];
  }
  if (values.token?.length) return values.token;
  return ['BUYER', 'SELLER', 'AGENT', 'AGENT2', 'SYSTEM', 'ADMIN'].flatMap((name) => (process.env[name] ? [process.env[name]] : []));
}

const kind = (values.kind ?? 'shortest') as PathKind;
if (kind !== 'shortest' && kind !== 'simple') fail(`--kind is shortest or simple, not ${values.kind}`);
let policy: object = {};
try {
  policy = JSON.parse(values.policy ?? process.env.ARBITER_TEST_POLICY ?? '{}') as object;
} catch {
  fail('--policy takes JSON, e.g. {"appeal":{"maxAppeals":0}}');
}
const url = values.url ?? process.env.BASE ?? 'http://127.0.0.1:3000';
const given = tokens();
if (given.length === 0) fail('no tokens: paste the export lines `npm start` prints, or give --token (repeated) or --keys');
let target;
try {
  target = targetFrom(url, given);
} catch (error) {
  fail((error as Error).message);
}

let set;
try {
  set = generatePaths({
    policy,
    kind,
    ...(values.to ? { to: values.to } : {}),
    ...(values['max-length'] ? { maxLength: number('max-length', values['max-length']) } : {}),
    ...(values['max-paths'] ? { maxPaths: number('max-paths', values['max-paths']) } : {}),
  });
} catch (error) {
  fail(`cannot generate paths: ${(error as Error).message}`);
}
const grep = values.grep ? new RegExp(values.grep) : null;
const paths = grep ? set.paths.filter((p) => grep.test(p.title)) : set.paths;
if (paths.length === 0) fail(`no path matches${values.to ? ` --to ${values.to}` : ''}${grep ? ` --grep ${values.grep}` : ''}`);
const movers = paths.filter((p) => p.needsClock).length;
console.error(`arbiter-test: ${count(paths.length, 'path')} (${movers} ${movers === 1 ? 'moves' : 'move'} the clock) against ${target.url}`);

const bar = progressBar(process.stderr, paths.length);
const report = await runPaths(target, paths, {
  policy,
  concurrency: number('concurrency', values.concurrency) ?? 8,
  ...(values['run-id'] ? { runId: values['run-id'] } : {}),
  onResult: (result: PathResult, done: number) => bar.update(done, result),
});
bar.done();
console.log(textReport(report));
if (values.junit) writeFileSync(values.junit, junitReport(report));
if (values.json) writeFileSync(values.json, jsonReport(report));
const { passed, failed, skipped } = report.figures;
// A run that drove nothing tested nothing: say so and fail, whatever the reasons were.
if (passed === 0 && failed === 0) console.error(`arbiter-test: no path was driven (all ${skipped} skipped, the reasons are listed above): nothing was tested`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
