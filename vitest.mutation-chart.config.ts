/**
 * The tests `npm run mutation:chart` runs against each mutant of the chart, static ones included
 * (the state configs, read once when the machine is built): the mutation set, plus the test that
 * builds the machine inside its tests, so a chart that cannot be built fails a test.
 */
import { defineConfig } from 'vitest/config';
import { mutationTests } from './vitest.mutation.config.ts';

export default defineConfig({ test: { include: [...mutationTests, 'test/chart-built.test.ts'], testTimeout: 30_000 } });
