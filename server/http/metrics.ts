/**
 * Prometheus metrics with prom-client, on a registry of this app's own (never prom-client's
 * global one, so several apps in one process keep apart): Node's process metrics, events
 * applied and refused, deadlines fired, step latency, HTTP request latency by route pattern,
 * and the queue depths, read from the store at scrape time.
 */
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface QueueDepths {
  disputesOpen: number;
  agentQueue: number;
  deadlinesDue: number;
  outboxPending: number;
}

export interface Metrics {
  eventApplied(type: string): void;
  eventRejected(type: string, reason: string): void;
  deadlinesFired(count: number): void;
  observeStep(seconds: number): void;
  /** Times every request, labelled by the route pattern it matched (never its raw path). */
  requestTimer: MiddlewareHandler;
  /** The exposition text, with the queue depths as they are now, and its content type. */
  render(depths: QueueDepths): Promise<{ text: string; contentType: string }>;
}

const STEP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const applied = new Counter({ name: 'arbiter_events_applied_total', help: 'Events applied to disputes, by type.', labelNames: ['type'], registers });
  const rejected = new Counter({
    name: 'arbiter_events_rejected_total',
    help: 'Events refused, by type and reason.',
    labelNames: ['type', 'reason'],
    registers,
  });
  const fired = new Counter({ name: 'arbiter_deadlines_fired_total', help: 'Deadline events fired by the scheduler.', registers });
  const step = new Histogram({
    name: 'arbiter_step_duration_seconds',
    help: 'Time to load, compute and commit one step.',
    buckets: STEP_BUCKETS,
    registers,
  });
  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request (to its response headers, for a stream), by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: REQUEST_BUCKETS,
    registers,
  });
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
  const depths = {
    disputesOpen: gauge('arbiter_disputes_open', 'Disputes not yet ended.'),
    agentQueue: gauge('arbiter_agent_queue_depth', 'Disputes waiting for an agent.'),
    deadlinesDue: gauge('arbiter_deadlines_due', 'Deadlines due and not yet fired.'),
    outboxPending: gauge('arbiter_outbox_pending', 'Effects waiting to be carried out.'),
  };

  return {
    eventApplied: (type) => applied.inc({ type }),
    eventRejected: (type, reason) => rejected.inc({ type, reason }),
    deadlinesFired: (count) => fired.inc(count),
    observeStep: (seconds) => step.observe(seconds),
    async requestTimer(c, next) {
      const end = requests.startTimer();
      try {
        await next();
      } finally {
        // The endpoint's pattern (`/disputes/:id`), not a middleware's `*`; none when nothing matched (a 404).
        const route = matchedRoutes(c).findLast((r) => r.method !== 'ALL')?.path ?? 'unmatched';
        end({ method: c.req.method, route, status: String(c.res.status) });
      }
    },
    async render(now) {
      for (const key of Object.keys(depths) as (keyof QueueDepths)[]) depths[key].set(now[key]);
      return { text: await registry.metrics(), contentType: registry.contentType };
    },
  };
}
