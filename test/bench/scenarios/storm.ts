/**
 * The deadline storm: among N stored disputes, `stormDeadlines` seller response windows (R-NEG-1,
 * 5 days after opening) fall due within one second, a few seconds after the service is ready,
 * on the system clock (production mode; moving a controllable clock over HTTP is demo-only).
 * 50 connections keep posting `message.send` to other disputes throughout. Measured: deadlines
 * fired per second from the instant they fell due to the last one fired (each fired deadline is
 * a history row stamped with its commit time), the p99 of the events answered during the storm,
 * and the longest time without any answer.
 */
import { token } from '../client.ts';
import { startDeployment } from '../deployment.ts';
import { jsonHeaders, messageBody } from '../fixtures.ts';
import { runLoad } from '../load.ts';
import { copyPlace, type Place } from '../place.ts';
import { checkErrors } from '../record.ts';
import { withService, type RoundContext } from '../scenario.ts';
import { format, longestGap, percentile } from '../stats.ts';
import { topUp } from '../template.ts';
import { openStormProbe } from './storm-probe.ts';

const SPREAD_MS = 1_000;
/** How long the load goes on after the last deadline fired: the refunds it caused go out. */
const TAIL_MS = 2_000;
const MAX_STORM_S = 900;
/**
 * Long enough that an event held up by the storm is answered late rather than given up on: its
 * latency is then part of the p99, instead of a timeout that autocannon would quietly retry.
 */
const TIMEOUT_S = 300;

export const stormExplanation =
  "**Deadline storm** (`storm`): the storm's disputes are seeded (through the same steps) with `openedAt` chosen so that their seller response deadline falls within one second, a few seconds after the service has started and warmed up; each one that fires resolves its dispute and queues a refund for the simulated payment provider. " +
  'Deadlines/s = deadlines ÷ (last fired − first due), each firing read from its history row. The p99 is over the events in flight during the storm (answered after the first deadline fell due, sent before the last one fired); the longest silence is the longest time without any answer from the first due instant until the last of those answers. ' +
  'The load runs until every storm deadline fired and every refund it queued was handed to the payment provider, plus 2 s; its timeout is 300 s, so a request held up by the storm counts with its real latency instead of timing out.';

export async function stormScenario(context: RoundContext) {
  const { figures, options, template } = context;
  if (!template) throw new Error('the stored disputes were not built');
  const count = options.stormDeadlines;
  const prefix = `storm${context.round}-`;
  let dueAt = 0;
  await withService(
    context,
    'storm',
    'storm.rate',
    async ({ service, place }) => {
      if (service.caughtUp > 0) throw new Error(`${service.caughtUp} deadlines fired while the service started: start-up outlasted the estimate`);
      const targets = template.seed.targets.map((t) => ({ id: t.id, bearer: token('buyer', t.buyerId) }));
      // Read beside the service: how many are left, when each fired.
      const probe = await openStormProbe(place, prefix);
      let doneAt = 0;
      let k = 0;
      const warmupS = Math.max(0, Math.min(options.warmupS, (dueAt - Date.now()) / 1000 - 1));
      context.log(`storm: ${format(count)} deadlines due in ${format((dueAt - Date.now()) / 1000)} s; warm-up ${format(warmupS)} s`);
      const result = await runLoad({
        url: service.urls,
        title: 'storm',
        connections: options.connections,
        warmupS,
        durationS: MAX_STORM_S,
        timeoutS: TIMEOUT_S,
        until: () => {
          if (doneAt === 0 && Date.now() > dueAt && probe.settled()) doneAt = Date.now();
          return doneAt > 0 && Date.now() - doneAt > TAIL_MS;
        },
        requests: [
          {
            method: 'POST',
            setupRequest(raw) {
              const target = targets[k++ % targets.length]!;
              return { ...raw, path: `/disputes/${target.id}/events`, headers: jsonHeaders(target.bearer), body: messageBody(k) };
            },
          },
        ],
      });
      const fired = await probe.fired();
      const effects = await probe.lastEffectAt();
      await probe.close();
      if (fired.length < count) figures.fail('storm.rate', `only ${fired.length} of ${count} deadlines fired within ${MAX_STORM_S} s`);
      const last = fired.reduce((a, b) => Math.max(a, b), 0);
      // The events the storm could delay: answered after the first deadline fell due, sent before the last one fired.
      const { at, latencyMs, status } = result.answers;
      const overlapping = at.map((_, i) => i).filter((i) => at[i]! >= dueAt && at[i]! - latencyMs[i]! <= last);
      const okLatency = overlapping.filter((i) => status[i]! < 300).map((i) => latencyMs[i]!);
      const answeredDuring = overlapping.filter((i) => at[i]! <= last && status[i]! < 300).length;
      const windowEnd = overlapping.reduce((end, i) => Math.max(end, at[i]!), last);
      figures.add(
        {
          key: 'storm.rate',
          label: `deadline storm: ${format(count)} deadlines among ${format(options.stored)}, fired/s under load`,
          unit: '/s',
          better: 'higher',
          limit: 'raw.commit1',
        },
        fired.length / ((last - dueAt) / 1000),
      );
      figures.add({ key: 'storm.seconds', label: 'deadline storm: first due to last fired', unit: 's', better: 'lower' }, (last - dueAt) / 1000);
      if (effects)
        figures.add(
          { key: 'storm.effects', label: 'deadline storm: first due to the last refund handed to the payment provider', unit: 's', better: 'lower' },
          (Date.parse(effects) - dueAt) / 1000,
        );
      figures.add(
        { key: 'storm.events.rps', label: 'deadline storm: events answered per second during the storm', unit: 'req/s', better: 'higher', limit: 'noop.rps' },
        answeredDuring / ((last - dueAt) / 1000),
      );
      figures.add(
        { key: 'storm.p99', label: 'deadline storm: p99 latency of events in flight during the storm', unit: 'ms', better: 'lower', limit: 'noop.p99' },
        percentile(okLatency, 0.99),
      );
      figures.add(
        { key: 'storm.gap', label: 'deadline storm: longest time without an answer', unit: 'ms', better: 'lower', limit: 'noop.gap' },
        longestGap(at.filter((t) => t >= dueAt && t <= windowEnd).concat(windowEnd), dueAt),
      );
      checkErrors(figures, 'storm.rate', result);
    },
    async (place) => {
      await copyPlace(template.place, place);
      // Due after the seeding below, the start-up and the warm-up, with a margin.
      const startupMs = await probeStartup(place, context.target.instances);
      // Twice the template's rate, and more: a small top-up runs slower than the long seeding did (opening the store, the worker's first range).
      const seedMs = (count / template.seedRate) * 1000 * 2 + 3_000;
      dueAt = Date.now() + seedMs + startupMs * 2 + options.warmupS * 1000 + 3_000;
      await topUp(place, prefix, count, { kind: 'storm', dueAtMs: dueAt, spreadMs: SPREAD_MS });
    },
  );
}

/** How long the deployment takes to start on this database (a throw-away start, before the storm is seeded). */
async function probeStartup(place: Place, instances: number): Promise<number> {
  const probe = await startDeployment(place, instances);
  await probe.stop();
  return probe.startupMs;
}
