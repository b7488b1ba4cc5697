/** A run's report for a person (text), and for CI systems (JUnit XML, JSON). */
import type { CoverageFigure } from './coverage.ts';
import type { RunReport } from './run.ts';

/** "1 path", "51 paths". */
export const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** How many uncovered states and transitions the text lists; the JSON report has them all. */
const MISSING_SHOWN = 12;

const percent = (f: CoverageFigure) => `${f.covered}/${f.total} (${f.total ? Math.floor((100 * f.covered) / f.total) : 100} %)`;

export function textReport(report: RunReport): string {
  const { figures, coverage } = report;
  const lines = [
    `arbiter-test ${report.url}: ${count(figures.paths, 'path')}, ${count(figures.stepsDriven, 'step')} driven in ${(report.durationMs / 1000).toFixed(1)} s`,
    `  passed ${figures.passed}, failed ${figures.failed}, skipped ${figures.skipped}`,
    `  states covered       ${percent(coverage.states)}`,
    `  transitions covered  ${percent(coverage.transitions)}`,
    `  stages covered       ${percent(coverage.stages)}`,
  ];
  const skipped = report.results.filter((r) => r.status === 'skipped');
  if (skipped.length) {
    lines.push('', `Skipped (${skipped.length}):`);
    for (const r of skipped) lines.push(`  ${r.path.id} ${r.path.title}`, `      ${r.reason}`);
  }
  const failed = report.results.filter((r) => r.status === 'failed');
  if (failed.length) {
    lines.push('', `Failed (${failed.length}):`);
    for (const r of failed) {
      lines.push(`  ${r.path.id} ${r.path.title}`, `      at ${r.failure!.description}${r.disputeId ? ` on ${r.disputeId}` : ''}: ${r.failure!.message}`);
    }
  }
  const missing = [...coverage.states.missing.map((s) => `state ${s}`), ...coverage.transitions.missing.map((t) => `transition ${t}`)];
  if (missing.length) {
    lines.push('', `Not covered (${missing.length}):`, ...missing.slice(0, MISSING_SHOWN).map((m) => `  ${m}`));
    if (missing.length > MISSING_SHOWN) lines.push(`  … and ${missing.length - MISSING_SHOWN} more (the --json report lists them all)`);
  }
  return lines.join('\n');
}

const xml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function junitReport(report: RunReport): string {
  const { figures } = report;
  const cases = report.results.map((r) => {
    const head = `    <testcase classname="arbiter-test.${xml(r.path.scenario.name)}" name="${xml(`${r.path.id} ${r.path.title}`)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
    if (r.status === 'passed') return `${head}/>`;
    const body =
      r.status === 'skipped'
        ? `<skipped message="${xml(r.reason ?? '')}"/>`
        : `<failure message="${xml(`${r.failure!.description}: ${r.failure!.message}`)}">${xml(JSON.stringify(r.path.steps[r.failure!.step - 1]?.expect ?? {}, null, 2))}</failure>`;
    return `${head}>\n      ${body}\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${figures.paths}" failures="${figures.failed}" skipped="${figures.skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="arbiter-test ${xml(report.url)}" tests="${figures.paths}" failures="${figures.failed}" skipped="${figures.skipped}" timestamp="${report.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function jsonReport(report: RunReport): string {
  return `${JSON.stringify(
    {
      ...report,
      results: report.results.map(({ path, covers: _covers, ...r }) => ({ ...r, path: { id: path.id, title: path.title, steps: path.steps } })),
    },
    null,
    2,
  )}\n`;
}
