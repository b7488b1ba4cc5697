/**
 * `npm run bench`: the service measured over HTTP, as production runs it, each figure beside a
 * limit measured in the same run. See options.ts for the flags (`--quick` for a smoke run,
 * `--store` and `--instances` for the deployments).
 *
 * Rounds are interleaved (round 1 runs every scenario on every deployment, then round 2, …) so
 * that a slow spell of the machine spreads over all figures instead of spoiling one; each figure
 * is reported as the median of its rounds with their spread.
 */
import { loadavg } from 'node:os';
import { Figures } from './figures.ts';
import { forStore, parseOptions, pgUrlOf, type ScenarioName } from './options.ts';
import { describePostgres, type StoreKind } from './place.ts';
import { postgresAnswers } from '../support/pg-probe.ts';
import { printTable, writeResults, type RunInfo } from './report.ts';
import type { RoundContext, Scenario } from './scenario.ts';
import { bytesScenario } from './scenarios/bytes.ts';
import { lifecycleScenario, lifecycleExplanation } from './scenarios/lifecycle.ts';
import { limits } from './scenarios/limits.ts';
import { stormExplanation, stormScenario } from './scenarios/storm.ts';
import { storedExplanation, storedScenario } from './scenarios/stored.ts';
import { eventsScenario, hotScenario, openScenario } from './scenarios/writes.ts';
import { deploymentExplanation, storeScope } from './target.ts';
import { buildTemplate, type StoredTemplate } from './template.ts';

const scenarios: Record<ScenarioName, Scenario> = {
  open: openScenario,
  events: eventsScenario,
  hot: hotScenario,
  lifecycle: lifecycleScenario,
  bytes: bytesScenario,
  stored: storedScenario,
  storm: stormScenario,
};

const argv = process.argv.slice(2);
const pgAnswers = await postgresAnswers(pgUrlOf(argv));
const options = parseOptions(argv, pgAnswers);
const stores = [...new Set(options.targets.map((t) => t.store))];
if (!pgAnswers && stores.includes('postgres')) throw new Error(`--store names postgres, but nothing answers at ${options.pgUrl}`);
if (!pgAnswers) console.warn(`\n*** PostgreSQL figures SKIPPED: nothing answers at ${options.pgUrl} (the results are partial) ***\n`);
const figures = new Figures();
const info: RunInfo = { startedAt: new Date(), seconds: 0, explanations: [], loadAverages: [] };
if (stores.includes('postgres')) info.postgres = await describePostgres(options.pgUrl);
const started = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`);

log(
  `arbiter bench: ${options.quick ? 'quick' : 'full'}, scenarios ${options.scenarios.join(', ')}, on ${options.targets.map((t) => t.title).join(' / ')}, ` +
    `${options.rounds} round(s), N = ${options.stored}${stores.includes('postgres') ? ` (PostgreSQL: ${options.pgStored})` : ''}`,
);
const templates = new Map<StoreKind, StoredTemplate>();
try {
  if (options.scenarios.includes('stored') || options.scenarios.includes('storm')) {
    for (const store of stores) templates.set(store, await buildTemplate(forStore(options, store), figures.scoped(storeScope(store)), store));
  }
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const target of options.targets) {
      const context: RoundContext = {
        options: forStore(options, target.store),
        figures: figures.scoped(target),
        target,
        round,
        template: templates.get(target.store),
        log: (line) => log(`${target.title}: ${line}`),
      };
      await runRound(context);
    }
  }
} finally {
  for (const template of templates.values()) await template.remove();
}

/** The limits, then every selected scenario, on one deployment. */
async function runRound(context: RoundContext) {
  const { round } = context;
  context.log(`round ${round}/${options.rounds}: limits`);
  try {
    await limits(context);
  } catch (error) {
    // Without its limits a deployment's ratios are blank, but the other deployments' figures stand.
    context.figures.fail('noop.rps', `the limits stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  for (const name of options.scenarios) {
    if ((name === 'stored' || name === 'storm') && round > options.storedRounds) continue;
    // The machine's load before each scenario: well above what the benchmark itself puts on it
    // (about 2: the service and autocannon), something else ran beside it.
    info.loadAverages.push(loadavg()[0]!);
    context.log(`round ${round}/${options.rounds}: ${name} (load average ${loadavg()[0]!.toFixed(1)})`);
    try {
      await scenarios[name](context);
    } catch (error) {
      // One broken scenario must not hide the others' figures; it is reported as a problem.
      context.figures.fail(name, `the scenario stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}

if (stores.includes('postgres')) info.explanations.push(deploymentExplanation);
if (options.scenarios.includes('lifecycle')) info.explanations.push(lifecycleExplanation);
if (options.scenarios.includes('stored')) info.explanations.push(storedExplanation);
if (options.scenarios.includes('storm')) info.explanations.push(stormExplanation);
info.seconds = (performance.now() - started) / 1000;
printTable(figures);
const out = writeResults(options, figures, info);
console.log(`\nresults: ${out}/latest.md and latest.svg${options.complete ? '' : ' (a quick or partial run: the committed results are untouched)'}`);
if (figures.anyFailed) {
  console.error(`\n!!! ${figures.problems.length} problem(s): see above; exit code 1`);
  process.exitCode = 1;
}
