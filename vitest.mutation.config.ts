/**
 * The tests Stryker runs against each mutant (`npm run mutation`): the per-rule tests of the pure
 * machine, in-process. The model-based suite (1,700 paths), the service, browser and process
 * tests judge the same code too, but take too long to run once per mutant on a small machine.
 */
import { defineConfig } from 'vitest/config';

export const mutationTests = [
  'test/policy-rules.test.ts',
  'test/defects.test.ts',
  'test/mutants*.test.ts',
  'test/refusal-wording.test.ts',
  'test/refusal-explanations.test.ts',
  'test/stages.test.ts',
  'test/events.test.ts',
  'test/catalogue.test.ts',
  'test/policy-words.test.ts',
  'test/problem-words.test.ts',
];

export default defineConfig({ test: { include: mutationTests, testTimeout: 30_000 } });
