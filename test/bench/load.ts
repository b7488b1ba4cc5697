/**
 * Load through autocannon's programmatic API: a warm-up run (its answers are counted for errors
 * but not measured), then the measured run, with every answer's instant, status and latency kept
 * so that a window (the deadline storm) or the longest silence can be read afterwards. Given
 * several instances, the connections are spread over them (cannons.ts).
 */
import type { RequestSpec } from 'autocannon';
import { fire } from './cannons.ts';
import { longestGap, percentile } from './stats.ts';

export interface LoadOptions {
  /** One instance, or several sharing the connections. */
  url: string | readonly string[];
  title: string;
  connections: number;
  warmupS: number;
  durationS: number;
  requests: RequestSpec[];
  timeoutS?: number;
  /** A fixed number of requests for the measured run instead of a duration. */
  amount?: number;
  /** Polled every 250 ms during the measured run; `true` stops it before `durationS`. */
  until?: () => boolean;
  /** Called every 250 ms during both runs (e.g. to sample memory). */
  onTick?: () => void;
  /** Runs between the warm-up and the measured run, told the warm-up's rate (answers/s). */
  afterWarmup?: (warmRps: number) => Promise<void>;
}

export interface Answers {
  /** Epoch milliseconds at which each answer arrived. */
  at: number[];
  latencyMs: number[];
  status: number[];
}

export interface LoadResult {
  title: string;
  /** 2xx answers per second of the measured run. */
  rps: number;
  /** Latency percentiles of the 2xx answers, ms. */
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts (no answer at all). */
  errors: number;
  timeouts: number;
  statusCounts: Record<string, number>;
  /** The longest time without any answer, from the start of the measured run. */
  longestGapMs: number;
  durationS: number;
  startedAt: number;
  answers: Answers;
  /** The first few non-2xx bodies, to say what went wrong. */
  sampleErrors: string[];
  warmup: { non2xx: number; errors: number };
}

const epochNow = () => performance.timeOrigin + performance.now();

/** Keeps the first few non-2xx bodies an entry received (its own onResponse still runs). */
function withErrorSamples(requests: RequestSpec[], samples: string[]): RequestSpec[] {
  return requests.map((spec) => ({
    ...spec,
    onResponse(status, body, context, headers) {
      if ((status < 200 || status > 299) && samples.length < 5) samples.push(`${status} ${body.slice(0, 300)}`);
      spec.onResponse?.(status, body, context, headers);
    },
  }));
}

async function runOnce(options: LoadOptions, durationS: number, until: (() => boolean) | undefined, samples: string[], amount?: number) {
  const answers: Answers = { at: [], latencyMs: [], status: [] };
  const startedAt = epochNow();
  const cannons = fire(typeof options.url === 'string' ? [options.url] : options.url, {
    connections: options.connections,
    duration: durationS,
    timeout: options.timeoutS ?? 10,
    ...(amount ? { amount } : {}),
    requests: withErrorSamples(options.requests, samples),
  });
  for (const instance of cannons.instances) {
    instance.on('reqError', (error: Error) => {
      const text = `no answer: ${(error as NodeJS.ErrnoException).code ?? error.message}`;
      if (samples.length < 5 && !samples.includes(text)) samples.push(text);
    });
    instance.on('response', (_client: unknown, status: number, _bytes: number, latency: number) => {
      answers.at.push(epochNow());
      answers.latencyMs.push(latency);
      answers.status.push(status);
    });
  }
  const ticker = setInterval(() => {
    options.onTick?.();
    if (until?.()) cannons.stop();
  }, 250);
  try {
    const result = await cannons.done;
    return { result, answers, startedAt };
  } finally {
    clearInterval(ticker);
  }
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const warmupSamples: string[] = [];
  const warm = options.warmupS > 0 ? (await runOnce(options, options.warmupS, undefined, warmupSamples)).result : undefined;
  await options.afterWarmup?.(warm ? warm.requests.total / warm.duration : 0);
  const sampleErrors: string[] = [...warmupSamples];
  const { result, answers, startedAt } = await runOnce(options, options.durationS, options.until, sampleErrors, options.amount);
  const okLatencies = answers.latencyMs.filter((_, i) => answers.status[i]! >= 200 && answers.status[i]! < 300);
  const statusCounts = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)]));
  const ok = okLatencies.length;
  return {
    title: options.title,
    rps: ok / result.duration,
    p50: percentile(okLatencies, 0.5),
    p99: percentile(okLatencies, 0.99),
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts,
    longestGapMs: longestGap(answers.at, startedAt),
    durationS: result.duration,
    startedAt,
    answers,
    sampleErrors,
    warmup: { non2xx: warm?.non2xx ?? 0, errors: warm?.errors ?? 0 },
  };
}

/**
 * Waits until the service answers a cheap request promptly again (a load run may leave requests
 * queued behind it), so that the next measurement starts from an idle service. Returns the wait.
 */
export async function waitIdle(url: string | readonly string[], maxWaitMs = 180_000): Promise<number> {
  const started = performance.now();
  if (typeof url !== 'string') {
    for (const one of url) await waitIdle(one, maxWaitMs);
    return performance.now() - started;
  }
  while (performance.now() - started < maxWaitMs) {
    const asked = performance.now();
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(maxWaitMs) });
      await response.arrayBuffer();
      if (performance.now() - asked < 100) return performance.now() - started;
    } catch {
      // not answering yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the service at ${url} did not become idle within ${maxWaitMs} ms`);
}

/**
 * Latencies (ms) of `count` requests sent one after another, or as many as fit in `maxMs` (at
 * least three); any non-2xx stops the benchmark.
 */
export async function sequentialLatencies(count: number, send: () => Promise<{ status: number; text: string }>, maxMs = Infinity): Promise<number[]> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count && (i < 3 || performance.now() - started < maxMs); i += 1) {
    const started = performance.now();
    const answer = await send();
    latencies.push(performance.now() - started);
    if (answer.status < 200 || answer.status > 299) throw new Error(`a sequential request answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  }
  return latencies;
}
