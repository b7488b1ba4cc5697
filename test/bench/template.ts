/**
 * The N stored disputes, built once per run and copied for each scenario that needs them (a
 * copy is a database no scenario wrote to before). Nothing is kept between runs: the folder is
 * removed when the run ends. The template holds N minus the storm's disputes; each scenario
 * adds the rest itself (backlog for `stored`, due deadlines for `storm`), so both see N.
 */
import type { Figures } from './figures.ts';
import type { Options } from './options.ts';
import { seedDisputes, type SeedOptions, type SeedResult } from './seed.ts';
import { freshFolder } from './service.ts';
import { format } from './stats.ts';

export interface StoredTemplate {
  dbPath: string;
  /** Disputes in the template (N minus the storm's). */
  count: number;
  seed: SeedResult;
  /** Disputes seeded per second, to estimate how long a scenario's own seeding takes. */
  seedRate: number;
  remove(): void;
}

export const progressPrinter = (label: string) => (done: number, total: number, perSecond: number) =>
  console.log(`  ${label}: ${format(done)} / ${format(total)} disputes (${format(perSecond)}/s, ${format((total - done) / perSecond)} s left)`);

export async function buildTemplate(options: Options, figures: Figures): Promise<StoredTemplate> {
  const folder = freshFolder('template');
  const count = options.stored - options.stormDeadlines;
  console.log(`building ${format(count)} stored disputes through openStep / eventStep and the store (no cache between runs)…`);
  const seed = await seedDisputes({
    dbPath: folder.dbPath,
    count,
    prefix: 'seed-',
    nowMs: Date.now(),
    mix: { kind: 'backlog' },
    targets: options.distinctDisputes,
    progress: progressPrinter('seed'),
  });
  const seedRate = count / seed.seconds;
  console.log(`  built in ${format(seed.seconds)} s (${format(seedRate)} disputes/s): ${JSON.stringify(seed.byRecipe)}`);
  figures.add(
    { key: 'seed.rate', label: `seeding ${format(options.stored)} disputes: disputes/s (openStep + store.commit, not via HTTP)`, unit: '/s', better: 'higher' },
    seedRate,
  );
  figures.add({ key: 'seed.seconds', label: `seeding ${format(options.stored)} disputes: time`, unit: 's', better: 'lower' }, seed.seconds);
  return { dbPath: folder.dbPath, count, seed, seedRate, remove: folder.remove };
}

/** Adds `count` more disputes to a copy of the template; ids never collide with the template's. */
export function topUp(dbPath: string, prefix: string, count: number, mix: SeedOptions['mix']) {
  return seedDisputes({ dbPath, count, prefix, nowMs: Date.now(), mix, progress: progressPrinter(prefix.replace(/-$/, '')) });
}
