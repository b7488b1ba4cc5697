/**
 * Load over several instances without a load balancer: one autocannon per instance, each with
 * its share of the connections (and of a fixed number of requests), started together and
 * stopped together; their results are merged into one, as if one client had sent everything.
 * With one URL this is exactly one autocannon run.
 */
import autocannon, { type Instance, type Options, type Result } from 'autocannon';

/** The i-th of `parts` near-equal shares of `total` (50 over 3: 17, 17, 16). */
export const share = (total: number, parts: number, i: number) => Math.floor(total / parts) + (i < total % parts ? 1 : 0);

export interface Cannons {
  instances: Instance[];
  done: Promise<Result>;
  stop(): void;
}

export function fire(urls: readonly string[], options: Omit<Options, 'url'> & { connections: number }): Cannons {
  const instances = urls.flatMap((url, i) => {
    const connections = share(options.connections, urls.length, i);
    const amount = options.amount === undefined ? undefined : share(options.amount, urls.length, i);
    // A share of nothing (a burst smaller than the instances) is no run at all: autocannon would read 0 as "no limit".
    if (connections === 0 || amount === 0) return [];
    return [autocannon({ ...options, url, connections, ...(amount === undefined ? {} : { amount }) })];
  });
  return {
    instances,
    done: Promise.all(instances).then(merge),
    stop: () => instances.forEach((instance) => instance.stop()),
  };
}

/** Sums what adds up (requests, errors, statuses); the run lasted as long as the longest. */
function merge(results: Result[]): Result {
  const sum = (pick: (r: Result) => number) => results.reduce((total, r) => total + pick(r), 0);
  const statusCodeStats: Result['statusCodeStats'] = {};
  for (const result of results) {
    for (const [code, { count }] of Object.entries(result.statusCodeStats)) {
      statusCodeStats[code] = { count: (statusCodeStats[code]?.count ?? 0) + Number(count) };
    }
  }
  return {
    ...results[0]!,
    requests: { ...results[0]!.requests, total: sum((r) => r.requests.total) },
    duration: Math.max(...results.map((r) => r.duration)),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    statusCodeStats,
  };
}
