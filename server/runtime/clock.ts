import type { DisputeStore } from '../../db/store.ts';

/**
 * Where the service reads time. Production uses the system clock. Demo mode and tests use a
 * controllable clock: system time plus an offset that only grows, persisted in the database so
 * that a restart never moves time backwards (a user can watch 15 days pass in seconds).
 */
export interface Clock {
  /** The current instant, canonical ISO 8601 UTC. */
  now(): string;
  /** Catches up with a clock another instance moved (the controllable clock's shared offset). */
  refresh?(): Promise<void>;
}

export interface ControllableClock extends Clock {
  readonly offsetMs: number;
  /** Moves time forward by `ms` (> 0) and persists the new offset. */
  advance(ms: number): Promise<string>;
}

export const systemClock: Clock = {
  now: () => new Date().toISOString(),
};

export async function createControllableClock(store: DisputeStore, systemNow: () => number = Date.now): Promise<ControllableClock> {
  let offsetMs = await store.getClockOffset();
  let last = 0;
  const clock: ControllableClock = {
    get offsetMs() {
      return offsetMs;
    },
    now() {
      // Never earlier than an instant already handed out, even if the system clock steps back.
      last = Math.max(last, systemNow() + offsetMs);
      return new Date(last).toISOString();
    },
    async refresh() {
      // Instances on one database share the offset: one that moved it is followed by the others.
      offsetMs = Math.max(offsetMs, await store.getClockOffset());
    },
    async advance(ms: number) {
      if (!Number.isFinite(ms) || ms <= 0) throw new RangeError('the clock only moves forward: give a positive duration');
      await store.setClockOffset(offsetMs + ms);
      offsetMs = await store.getClockOffset();
      return clock.now();
    },
  };
  return clock;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses durations such as `90s`, `15m`, `6h`, `15d`, `1d12h`; throws on anything else. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) {
    throw new RangeError(`not a duration: ${JSON.stringify(text)} (examples: 90s, 15m, 6h, 15d, 1d12h)`);
  }
  return parts.reduce((ms, [, n, unit]) => ms + Number(n) * UNITS[unit!]!, 0);
}
