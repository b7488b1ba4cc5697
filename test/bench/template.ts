/**
 * The N stored disputes, built once per run and store and copied for each scenario that needs
 * them (a copy is a database no scenario wrote to before). Nothing is kept between runs: the
 * folder or schema is removed when the run ends. The template holds N minus the storm's
 * disputes; each scenario adds the rest itself (backlog for `stored`, due deadlines for
 * `storm`), so both see N.
 */
import type { FigureSink } from './figures.ts';
import type { Options } from './options.ts';
import { analysePlace, freshPlace, type Place, type StoreKind } from './place.ts';
import { seedDisputes, type SeedOptions, type SeedResult } from './seed.ts';
import { format } from './stats.ts';

export interface StoredTemplate {
  place: Place;
  /** Disputes in the template (N minus the storm's). */
  count: number;
  seed: SeedResult;
  /** Disputes seeded per second, to estimate how long a scenario's own seeding takes. */
  seedRate: number;
  remove(): Promise<void>;
}

export const progressPrinter = (label: string) => (done: number, total: number, perSecond: number) =>
  console.log(`  ${label}: ${format(done)} / ${format(total)} disputes (${format(perSecond)}/s, ${format((total - done) / perSecond)} s left)`);

/** `options` as the store sees them (forStore); `figures` scoped to the store. */
export async function buildTemplate(options: Options, figures: FigureSink, store: StoreKind): Promise<StoredTemplate> {
  const place = await freshPlace(store, 'template', options.pgUrl);
  const count = options.stored - options.stormDeadlines;
  console.log(`building ${format(count)} stored disputes on ${store} through openStep / eventStep and the store (no cache between runs)…`);
  try {
    const seed = await seedDisputes({
      at: place,
      count,
      prefix: 'seed-',
      nowMs: Date.now(),
      mix: { kind: 'backlog' },
      targets: options.distinctDisputes,
      progress: progressPrinter('seed'),
    });
    await analysePlace(place);
    const seedRate = count / seed.seconds;
    console.log(`  built in ${format(seed.seconds)} s (${format(seedRate)} disputes/s): ${JSON.stringify(seed.byRecipe)}`);
    figures.add(
      {
        key: 'seed.rate',
        label: `seeding ${format(options.stored)} disputes: disputes/s (openStep + store.commit, not via HTTP)`,
        unit: '/s',
        better: 'higher',
      },
      seedRate,
    );
    figures.add({ key: 'seed.seconds', label: `seeding ${format(options.stored)} disputes: time`, unit: 's', better: 'lower' }, seed.seconds);
    return { place, count, seed, seedRate, remove: place.remove };
  } catch (error) {
    await place.remove();
    throw error;
  }
}

/** Adds `count` more disputes to a copy of the template; ids never collide with the template's. */
export async function topUp(place: Place, prefix: string, count: number, mix: SeedOptions['mix']) {
  // Not analysed again: the copy was, and a few per cent more rows do not change a plan (the storm's timing counts on this being quick).
  return seedDisputes({ at: place, count, prefix, nowMs: Date.now(), mix, progress: progressPrinter(prefix.replace(/-$/, '')) });
}
