/**
 * The latest computed state of recently written disputes, so that events on one busy dispute
 * pipeline: the next step is computed on the previous one's result while that result is still
 * being committed, and both commit in order (each checks the version it was computed from). A
 * step that fails to commit invalidates what was computed on top of it; those steps fail their
 * version check and are recomputed from the database. Safe only with one writer: where another
 * instance commits the same version numbers, a step built on a failed one could pass its check,
 * so the runtime pipelines only on a single-writer store (SQLite). Bounded: least recently used go first.
 */
import type { Loaded } from './step.ts';

export class DisputeCache {
  private readonly entries = new Map<string, Loaded>();

  constructor(private readonly max = 2_000) {}

  /** The newest state known for the dispute (possibly not yet committed), if cached. */
  latest(id: string): Loaded | undefined {
    const entry = this.entries.get(id);
    if (entry) {
      this.entries.delete(id);
      this.entries.set(id, entry);
    }
    return entry;
  }

  /** Records a state computed on top of the latest (committed or on its way). */
  advance(state: Loaded) {
    const current = this.entries.get(state.id);
    if (current && current.version >= state.version) return;
    this.entries.delete(state.id);
    this.entries.set(state.id, state);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets the dispute if its latest state is `state` (a commit of it, or under it, failed). */
  invalidate(state: Loaded) {
    const current = this.entries.get(state.id);
    if (current && current.version >= state.version) this.entries.delete(state.id);
  }

  forget(id: string) {
    this.entries.delete(id);
  }
}
