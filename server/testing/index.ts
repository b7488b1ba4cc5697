/**
 * `arbiter/testing`: paths through the dispute statechart as data, and a driver that runs them
 * against a deployment over HTTP. The endpoint `GET /machines/dispute/paths`, the command
 * `arbiter-test` and Arbiter's own suite use these same functions.
 *
 * @example
 * const { paths } = generatePaths({ policy: { appeal: { maxAppeals: 0 } } });
 * const target = targetFrom('http://127.0.0.1:3000', [buyer, seller, agent, secondAgent, system, admin]);
 * for (const path of paths) it(path.title, async () => assertPath(await drivePath(target, path, { runId: 'ci-42' })));
 */
import type { PathResult } from './drive.ts';

export { generatePaths, labelMatches, type PathKind, type PathOptions, type PathSet } from './paths.ts';
export { realizePath, type Advance, type PathStep, type RealizeOptions, type TestPath } from './realize.ts';
export { drivePath, describeStep, type DriveOptions, type PathResult } from './drive.ts';
export { runPaths, type RunOptions, type RunReport } from './run.ts';
export { call, claimsOf, deploymentNow, targetFrom, type Target, type TokenRole } from './client.ts';
export { Coverage, machineTotals, type CoverageFigure, type CoverageReport, type Covers, type MachineTotals } from './coverage.ts';
export { formatDuration, type Expected, type ExpectedDeadline } from './expect.ts';
export { jsonReport, junitReport, textReport } from './report.ts';
export { orderRegistration, scenarios, type Scenario } from './scenarios.ts';
export { parties, type Party } from './samples.ts';
export type { Recipe } from './model.ts';

/** Throws with the path and the step where it broke; a skipped path passes (its reason is in the result). */
export function assertPath(result: PathResult): void {
  if (result.status !== 'failed') return;
  const { failure, path } = result;
  throw new Error(`${path.title}\n  at ${failure!.description}${result.disputeId ? ` on ${result.disputeId}` : ''}: ${failure!.message}`);
}
