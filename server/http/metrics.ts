/**
 * A small Prometheus registry: counters with labels and one latency histogram, rendered in the
 * text exposition format. Gauges (queue depths) are read at scrape time.
 */
export interface Metrics {
  eventApplied(type: string): void;
  eventRejected(type: string, reason: string): void;
  deadlinesFired(count: number): void;
  observeStep(seconds: number): void;
  render(gauges: Record<string, { help: string; value: number }>): string;
}

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function createMetrics(): Metrics {
  const applied = new Map<string, number>();
  const rejected = new Map<string, number>();
  let fired = 0;
  const buckets = BUCKETS.map(() => 0);
  let count = 0;
  let sum = 0;
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  return {
    eventApplied: (type) => bump(applied, type),
    eventRejected: (type, reason) => bump(rejected, `${type}\u0000${reason}`),
    deadlinesFired: (n) => {
      fired += n;
    },
    observeStep(seconds) {
      count += 1;
      sum += seconds;
      BUCKETS.forEach((le, i) => {
        if (seconds <= le) buckets[i]! += 1;
      });
    },
    render(gauges) {
      const lines: string[] = [];
      lines.push('# HELP arbiter_events_applied_total Events applied to disputes, by type.', '# TYPE arbiter_events_applied_total counter');
      for (const [type, n] of applied) lines.push(`arbiter_events_applied_total{type="${escape(type)}"} ${n}`);
      lines.push('# HELP arbiter_events_rejected_total Events refused, by type and reason.', '# TYPE arbiter_events_rejected_total counter');
      for (const [key, n] of rejected) {
        const [type, reason] = key.split('\u0000') as [string, string];
        lines.push(`arbiter_events_rejected_total{type="${escape(type)}",reason="${escape(reason)}"} ${n}`);
      }
      lines.push(
        '# HELP arbiter_deadlines_fired_total Deadline events fired by the scheduler.',
        '# TYPE arbiter_deadlines_fired_total counter',
        `arbiter_deadlines_fired_total ${fired}`,
      );
      lines.push('# HELP arbiter_step_duration_seconds Time to load, compute and commit one step.', '# TYPE arbiter_step_duration_seconds histogram');
      BUCKETS.forEach((le, i) => lines.push(`arbiter_step_duration_seconds_bucket{le="${le}"} ${buckets[i]}`));
      lines.push(
        `arbiter_step_duration_seconds_bucket{le="+Inf"} ${count}`,
        `arbiter_step_duration_seconds_sum ${sum}`,
        `arbiter_step_duration_seconds_count ${count}`,
      );
      for (const [name, gauge] of Object.entries(gauges)) {
        lines.push(`# HELP ${name} ${gauge.help}`, `# TYPE ${name} gauge`, `${name} ${gauge.value}`);
      }
      return `${lines.join('\n')}\n`;
    },
  };
}
