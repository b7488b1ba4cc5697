/**
 * Every number the benchmark reports, one value per round, with the limit it is compared to.
 * A limit is another figure measured in the same run (the no-op route, a bare SQLite commit, an
 * empty database), so a ratio compares two things measured on the same machine at the same time.
 *
 * The ratio is always "how close to the limit": value / limit when higher is better (req/s),
 * limit / value when lower is better (latency, bytes, memory). 100 % means as good as the limit.
 */
import { median, spread } from './stats.ts';

export interface FigureSpec {
  key: string;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  /** Key of the figure this one is compared to. */
  limit?: string;
}

export interface FigureRow {
  spec: FigureSpec;
  values: number[];
  median: number;
  min: number;
  max: number;
  limit?: { spec: FigureSpec; median: number };
  ratio?: number;
  notes: string[];
  failed: boolean;
}

export class Figures {
  private readonly specs = new Map<string, FigureSpec>();
  private readonly values = new Map<string, number[]>();
  private readonly notes = new Map<string, string[]>();
  private readonly failed = new Set<string>();
  /** Lines for the end of the report: what misbehaved, in words. */
  readonly problems: string[] = [];

  add(spec: FigureSpec, value: number) {
    this.specs.set(spec.key, spec);
    this.values.set(spec.key, [...(this.values.get(spec.key) ?? []), value]);
  }

  /** A remark printed beside the figure (once per distinct text). */
  note(key: string, text: string) {
    const list = this.notes.get(key) ?? [];
    if (!list.includes(text)) list.push(text);
    this.notes.set(key, list);
  }

  /** Marks the figure as not to be trusted (e.g. errors were measured) and says why, loudly. */
  fail(key: string, text: string) {
    this.failed.add(key);
    this.note(key, text);
    this.problems.push(`${key}: ${text}`);
    console.error(`\n!!! ${key}: ${text}\n`);
  }

  get anyFailed() {
    return this.failed.size > 0;
  }

  rows(): FigureRow[] {
    return [...this.specs.values()].map((spec) => {
      const values = this.values.get(spec.key)!;
      const { min, max } = spread(values);
      const row: FigureRow = { spec, values, median: median(values), min, max, notes: this.notes.get(spec.key) ?? [], failed: this.failed.has(spec.key) };
      const limitSpec = spec.limit ? this.specs.get(spec.limit) : undefined;
      if (limitSpec) {
        const limit = median(this.values.get(limitSpec.key)!);
        row.limit = { spec: limitSpec, median: limit };
        row.ratio = spec.better === 'higher' ? row.median / limit : limit / row.median;
      }
      return row;
    });
  }
}
