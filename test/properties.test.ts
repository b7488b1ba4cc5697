/**
 * Property-based tests (fast-check) over the runtime on a real SQLite file: random sequences of
 * journeys through the chart and steps a client can take, arbitrary (mostly invalid) events from
 * arbitrary parties, clock jumps and restarts, with the invariants checked after every command (test/support/world.ts): the
 * money adds up and ends paid out, one release and no refund beyond what was paid, ended disputes
 * take nothing that changes money, every waiting state has its deadline and no other, each
 * deadline fires once, replaying the history gives the stored snapshot, what was stored is what
 * was acknowledged, a rejected event changes nothing.
 *
 * ARBITER_PROPERTY_RUNS sets the number of runs (CI: the default; locally, more).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { World, type Command } from './support/world.ts';
import { regressions } from './support/world-regressions.ts';

const RUNS = Number(process.env.ARBITER_PROPERTY_RUNS ?? 30);

/** Mostly journeys and steps a client can take; some hostile events, clock jumps (mostly hours, some weeks) and restarts. */
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('journey' as const), dispute: fc.nat(1), path: fc.nat(60), steps: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('step' as const), dispute: fc.nat(1), pick: fc.nat(40) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('event' as const), dispute: fc.nat(1), party: fc.nat(4), type: fc.nat(40), variant: fc.nat(5) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('clock' as const),
      hours: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 48 }) }, { weight: 1, arbitrary: fc.integer({ min: 49, max: 24 * 16 }) }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

async function play(setup: { scenarios: number[]; policy: number }, commands: Command[]) {
  const world = new World();
  try {
    await world.start(setup.scenarios, setup.policy);
    for (const c of commands) await world.run(c);
  } finally {
    await world.stop();
  }
}

describe('the runtime under random, hostile and interrupted input', () => {
  it.each(regressions.map((r) => [r.name, r] as const))('regression: %s', async (_name, r) => {
    await play(r, r.commands);
  });

  it(`keeps every invariant over ${RUNS} random runs`, async () => {
    const setup = fc.record({ scenarios: fc.array(fc.nat(2), { minLength: 2, maxLength: 2 }), policy: fc.nat(3) });
    await fc.assert(fc.asyncProperty(setup, fc.array(command, { minLength: 15, maxLength: 60 }), play), { numRuns: RUNS });
  }, 600_000);
});
