/**
 * Every number the benchmark reports, one value per round, with the limit it is compared to.
 * A limit is another figure measured in the same run (the no-op route, a bare SQLite commit, an
 * empty database), so a ratio compares two things measured on the same machine at the same time.
 *
 * The ratio is always "how close to the limit": value / limit when higher is better (req/s),
 * limit / value when lower is better (latency, bytes, memory). 100 % means as good as the limit.
 *
 * The same scenarios run on several deployments (SQLite; PostgreSQL with one or three
 * instances). Each deployment records through `scoped(…)`: its keys and limits get its prefix, so
 * every figure is compared with the limit measured on the same deployment, and `base` / `variant`
 * let the report set the deployments' figures side by side.
 */
import { median, spread } from './stats.ts';

export interface FigureSpec {
  key: string;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  /** Key of the figure this one is compared to. */
  limit?: string;
  /** The scope that measured it (`pg1`, `pg3`, `pg`; none for SQLite), with its key and label without the prefix. */
  variant?: Scope & { key: string; label: string };
}

/** What a scenario records into: the figures themselves, or one deployment's share of them. */
export interface FigureSink {
  add(spec: FigureSpec, value: number): void;
  note(key: string, text: string): void;
  fail(key: string, text: string): void;
}

/** A deployment's prefix for keys (`pg3`) and labels (`PostgreSQL, 3 instances`); an empty id records unchanged. */
export interface Scope {
  id: string;
  title: string;
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

  /** Records with the scope's prefix on every key, limit and label. */
  scoped(scope: Scope): FigureSink {
    if (!scope.id) return this;
    const key = (k: string) => `${scope.id}.${k}`;
    return {
      add: (spec, value) =>
        this.add(
          {
            ...spec,
            key: key(spec.key),
            label: `${scope.title}: ${spec.label}`,
            limit: spec.limit && key(spec.limit),
            variant: { id: scope.id, title: scope.title, key: spec.key, label: spec.label },
          },
          value,
        ),
      note: (k, text) => this.note(key(k), text),
      fail: (k, text) => this.fail(key(k), text),
    };
  }

  get anyFailed() {
    return this.failed.size > 0;
  }

  /** The key and label a figure has on every deployment (SQLite's key). */
  static base(spec: FigureSpec): { key: string; label: string } {
    return spec.variant ? { key: spec.variant.key, label: spec.variant.label } : { key: spec.key, label: spec.label };
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
