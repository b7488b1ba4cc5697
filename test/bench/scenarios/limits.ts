/**
 * The limits every figure is compared to, measured in each round: a no-op route of the same app
 * behind the same middleware (`GET /session` with a Bearer token authenticates and returns the
 * principal: HTTP parsing, routing, token verification, JSON, nothing else), under the same 50
 * connections and, one request at a time, for the list pages' unloaded latency; then the bare
 * SQLite commit rates and the in-process figures. On PostgreSQL the no-op runs on the same
 * deployment as the scenarios (three instances' no-op together, the connections spread as for
 * every other load), and the bare commits are PostgreSQL's (pg-bare.ts).
 */
import { call, token } from '../client.ts';
import { runLoad, sequentialLatencies } from '../load.ts';
import { checkErrors } from '../record.ts';
import type { RoundContext } from '../scenario.ts';
import { withService } from '../scenario.ts';
import { median } from '../stats.ts';
import { bareCommits, runtimeSends } from './in-process.ts';
import { bareCommitsPostgres } from './pg-bare.ts';

export async function limits(context: RoundContext) {
  const { options, figures } = context;
  await withService(context, 'noop', 'noop.rps', async ({ service }) => {
    const bearer = token('buyer', 'buyer-noop');
    const result = await runLoad({
      url: service.urls,
      title: 'no-op',
      connections: options.connections,
      warmupS: options.warmupS,
      durationS: options.durationS,
      requests: [{ method: 'GET', path: '/session', headers: { authorization: `Bearer ${bearer}` } }],
    });
    figures.add({ key: 'noop.rps', label: 'LIMIT no-op route (GET /session, auth only): req/s', unit: 'req/s', better: 'higher' }, result.rps);
    figures.add({ key: 'noop.p50', label: 'LIMIT no-op route: p50 latency', unit: 'ms', better: 'lower' }, result.p50);
    figures.add({ key: 'noop.p99', label: 'LIMIT no-op route: p99 latency', unit: 'ms', better: 'lower' }, result.p99);
    figures.add({ key: 'noop.gap', label: 'LIMIT no-op route: longest time without an answer', unit: 'ms', better: 'lower' }, result.longestGapMs);
    checkErrors(figures, 'noop.rps', result);
    const alone = await sequentialLatencies(options.listSamples * 10, () => call(service.url, 'GET', '/session', bearer));
    figures.add({ key: 'noop.seq', label: 'LIMIT no-op route, one request at a time: median latency', unit: 'ms', better: 'lower' }, median(alone));
  });
  if (context.target.store === 'postgres') {
    context.log('limits: no-op route measured; bare PostgreSQL commits…');
    await bareCommitsPostgres(figures, options.pgUrl, options.inProcessS, options.bytesEvents);
  } else {
    context.log('limits: no-op route measured; bare SQLite commits…');
    bareCommits(figures, options.inProcessS, options.bytesEvents);
  }
  await runtimeSends(figures, options.inProcessS, context.target.store, options.pgUrl);
}
