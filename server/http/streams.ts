/**
 * What event streams may hold: a gate counting open streams per principal and in total (each
 * is a connection and a subscription held for as long as the client likes), and one hub that
 * hears every commit once and hands it only to the streams watching that dispute, so a commit
 * costs its own watchers, not every open stream.
 */
import type { Committed } from '../runtime/runtime.ts';
import { HttpProblem } from './problems.ts';

export interface StreamGate {
  /** Admits a stream for `principal` or throws the problem saying which cap was reached. */
  admit(principal: string): () => void;
  readonly open: number;
}

export function createStreamGate(limits: { max: number; perPrincipal: number; retryAfterSeconds: number }): StreamGate {
  const byPrincipal = new Map<string, number>();
  let open = 0;
  return {
    get open() {
      return open;
    },
    admit(principal) {
      const mine = byPrincipal.get(principal) ?? 0;
      if (mine >= limits.perPrincipal) {
        throw new HttpProblem('too-many-streams', `you have ${mine} event streams open, the most one party may hold; close one first`, {
          retryAfter: limits.retryAfterSeconds,
        });
      }
      if (open >= limits.max) {
        throw new HttpProblem('overloaded', `the service holds ${open} event streams, its limit; retry later`, { retryAfter: limits.retryAfterSeconds });
      }
      byPrincipal.set(principal, mine + 1);
      open += 1;
      let released = false;
      return function release() {
        if (released) return;
        released = true;
        open -= 1;
        const left = (byPrincipal.get(principal) ?? 1) - 1;
        if (left === 0) byPrincipal.delete(principal);
        else byPrincipal.set(principal, left);
      };
    },
  };
}

export type CommitListener = (committed: Committed) => void;

/** One subscription to the runtime, fanned out by dispute id. */
export function createCommitHub(subscribe: (listener: CommitListener) => () => void) {
  const watchers = new Map<string, Set<CommitListener>>();
  subscribe(function fanOut(committed) {
    for (const listener of watchers.get(committed.disputeId) ?? []) listener(committed);
  });
  return {
    watch(disputeId: string, listener: CommitListener): () => void {
      let set = watchers.get(disputeId);
      if (!set) watchers.set(disputeId, (set = new Set()));
      set.add(listener);
      return function unwatch() {
        set.delete(listener);
        if (set.size === 0 && watchers.get(disputeId) === set) watchers.delete(disputeId);
      };
    },
  };
}
