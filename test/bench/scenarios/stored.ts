/**
 * With N stored disputes: start-up time (spawn to the ready line), resident memory idle and
 * under load, the latency of list pages, and events among N. The limits are the same service on
 * an empty database (start-up, memory) and the no-op route (latency, req/s).
 *
 * A list page is read one request at a time first (its unloaded latency). Under 50 connections
 * it is measured for the usual duration when a page is fast. When one page takes longer than
 * `SLOW_MS`, 50 connections would queue requests behind each other past autocannon's timeout and
 * leave a backlog that spoils what follows; a single burst of concurrent requests (one per
 * connection, as many as fit in `BURST_BUDGET_MS` one after another, at most 50) is measured
 * instead, with a timeout long enough for all of them to be answered, and the note says so.
 */
import { call, token } from '../client.ts';
import { jsonHeaders, messageBody } from '../fixtures.ts';
import { runLoad, sequentialLatencies, waitIdle } from '../load.ts';
import { recordLoad } from '../record.ts';
import { withService, type RoundContext } from '../scenario.ts';
import { largestResidentMiB } from '../deployment.ts';
import { copyPlace, migratePlace } from '../place.ts';
import { format, median } from '../stats.ts';
import { topUp } from '../template.ts';

/** 50 requests of this page one after another take 2.5 s: beyond it, 50 connections pile up. */
const SLOW_MS = 50;
const BURST_BUDGET_MS = 30_000;
const ALONE_BUDGET_MS = 10_000;
const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));

export const storedExplanation =
  '**Stored disputes** (`stored`, `storm`): built through `openStep` / `eventStep` / `advanceStep` and `store.commit` (test/bench/seed.ts), per 50: 35 waiting for the seller, 5 with an offer pending, 4 escalated, 1 escalated with its decision overdue, 5 cancelled; 5 items per order, one order per buyer, 200 disputes per seller. ' +
  `A list page slower than ${SLOW_MS} ms alone is measured, instead of 50 connections for the usual duration, as one burst of concurrent requests: 50, or as many as one after another fit in ${BURST_BUDGET_MS / 1000} s (at least 5); its note gives the size. "Slowest no-op answer while one page is read" shows whether reading the page holds up every other request.`;

export async function storedScenario(context: RoundContext) {
  const { figures, options, template } = context;
  if (!template) throw new Error('the stored disputes were not built');
  await withService(
    context,
    'empty',
    'empty.startup',
    async ({ service }) => {
      figures.add({ key: 'empty.startup', label: 'LIMIT start-up on an empty database (spawn to ready)', unit: 'ms', better: 'lower' }, service.startupMs);
      await settle();
      figures.add({ key: 'empty.rss', label: 'LIMIT resident memory, empty database, idle', unit: 'MiB', better: 'lower' }, largestResidentMiB(service));
    },
    migratePlace,
  );
  await withService(
    context,
    'stored',
    'stored.startup',
    async ({ service }) => {
      const n = format(options.stored);
      figures.add(
        { key: 'stored.startup', label: `start-up with ${n} disputes (spawn to ready)`, unit: 'ms', better: 'lower', limit: 'empty.startup' },
        service.startupMs,
      );
      if (service.caughtUp > 0) figures.note('stored.startup', `${service.caughtUp} deadlines fired during start-up (none should be due)`);
      await settle();
      figures.add(
        { key: 'stored.rss', label: `resident memory with ${n} disputes, idle`, unit: 'MiB', better: 'lower', limit: 'empty.rss' },
        largestResidentMiB(service),
      );
      let peak = 0;
      const sample = () => (peak = Math.max(peak, largestResidentMiB(service)));
      await listPages(context, service.urls, sample);
      const targets = template.seed.targets.map((t) => ({ id: t.id, bearer: token('buyer', t.buyerId) }));
      let k = 0;
      const result = await runLoad({
        url: service.urls,
        title: 'events among N',
        connections: options.connections,
        warmupS: options.warmupS,
        durationS: options.durationS,
        onTick: sample,
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
      recordLoad(figures, { key: 'stored.events', label: `event on ${format(targets.length)} distinct disputes among ${n} (message.send)`, gap: true }, result);
      figures.add(
        { key: 'stored.rssLoad', label: `resident memory with ${n} disputes, peak under load`, unit: 'MiB', better: 'lower', limit: 'empty.rss' },
        peak,
      );
    },
    async (place) => {
      await copyPlace(template.place, place);
      await topUp(place, `more${context.round}-`, options.stormDeadlines, { kind: 'backlog' });
    },
  );
}

/** Pages read one at a time from the first instance, and under load from all of them. */
async function listPages(context: RoundContext, urls: readonly string[], sample: () => void) {
  const { figures, options, template } = context;
  const url = urls[0]!;
  const support = token('support', 'support-sam');
  const pages = [
    { key: 'list.support', label: 'list page, unscoped as support (GET /disputes?limit=50)', path: '/disputes?limit=50', bearer: support },
    { key: 'list.buyer', label: 'list page, as a buyer (scoped)', path: '/disputes?limit=50', bearer: token('buyer', template!.seed.sampleBuyer) },
    { key: 'list.overdue', label: 'list page, ?overdue=true as support', path: '/disputes?overdue=true&limit=50', bearer: support },
    { key: 'list.escalated', label: 'list page, ?state=escalated as support', path: '/disputes?state=escalated&limit=50', bearer: support },
    { key: 'list.queue', label: 'agent queue (GET /agent/queue as an agent)', path: '/agent/queue', bearer: token('agent', 'agent-kim') },
  ];
  for (const page of pages) {
    context.log(`stored: ${page.path}`);
    const alone = median(await sequentialLatencies(options.listSamples, () => call(url, 'GET', page.path, page.bearer), ALONE_BUDGET_MS));
    figures.add({ key: `${page.key}.alone`, label: `${page.label}: latency, one request at a time`, unit: 'ms', better: 'lower', limit: 'noop.seq' }, alone);
    const blocked = await blockedWhile(url, () => call(url, 'GET', page.path, page.bearer));
    figures.add(
      { key: `${page.key}.blocked`, label: `${page.label}: slowest no-op answer while one page is read`, unit: 'ms', better: 'lower', limit: 'noop.seq' },
      blocked,
    );
    const slow = alone > SLOW_MS;
    const burst = Math.min(options.connections, Math.max(5, Math.floor(BURST_BUDGET_MS / alone)));
    const result = await runLoad({
      url: urls,
      title: page.key,
      connections: slow ? burst : options.connections,
      warmupS: slow ? 0 : options.warmupS,
      durationS: slow ? 3_600 : options.durationS,
      // A burst: each connection sends one request; everything is answered before the timeout.
      ...(slow ? { amount: burst, timeoutS: Math.ceil((alone * burst * 3) / 1000) + 30 } : {}),
      onTick: sample,
      requests: [{ method: 'GET', path: page.path, headers: { authorization: `Bearer ${page.bearer}` } }],
    });
    recordLoad(figures, { key: page.key, label: `${page.label}, concurrent${slow ? ' (one burst)' : ', 50 connections'}` }, result);
    if (slow) {
      figures.note(
        `${page.key}.rps`,
        // Whether the page holds up everything else (SQLite reads on the event loop) or only waits on the database.
        `one page alone takes ${format(alone)} ms${blocked > alone / 2 ? ' and blocks the service meanwhile' : ''}: measured as one burst of ${burst} concurrent requests (the last answered after ${format(result.durationS)} s); 50 would queue for about ${format((alone * 50) / 1000)} s`,
      );
    }
    await waitIdle(urls);
  }
}

/**
 * How long the no-op route keeps a caller waiting while `work` runs: a request every 10 ms until
 * it ends. Synchronous work in the service (a query, a loop without await) shows up whole.
 */
async function blockedWhile(url: string, work: () => Promise<unknown>): Promise<number> {
  const bearer = token('buyer', 'buyer-noop');
  let done = false;
  let slowest = 0;
  const running = work().finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    await call(url, 'GET', '/session', bearer);
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await running;
  return slowest;
}
