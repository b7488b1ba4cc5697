/**
 * The seeding worker thread: computes the steps of a range of seeded disputes when asked, so the
 * main thread only registers orders and commits (the two halves take about as long each).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { StepCommit } from './arbiter.ts';
import { stepsOf, type SeedPlan } from './seed-steps.ts';

const plan = workerData as SeedPlan;

parentPort!.on('message', function computeRange({ from, to }: { from: number; to: number }) {
  const commits: StepCommit[] = [];
  for (let i = from; i < to; i += 1) commits.push(...stepsOf(plan, i));
  parentPort!.postMessage({ from, to, commits });
});
