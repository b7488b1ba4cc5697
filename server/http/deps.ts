/** What the HTTP app is built from, and what a request carries through its middleware. */
import type { KeyRing, Principal } from '../auth/tokens.ts';
import type { Effects } from '../effects/effects.ts';
import type { Logger } from '../log.ts';
import type { Service } from '../service.ts';
import type { Metrics } from './metrics.ts';

export interface AppDeps {
  service: Service;
  keys: KeyRing;
  mode: 'demo' | 'production';
  metrics: Metrics;
  /** Who may read /metrics: anyone, only loopback callers, or authenticated support/admin. */
  metricsAccess: 'public' | 'loopback' | 'authenticated';
  /** What leaves the service after commit; absent in apps built without effects. */
  effects?: Pick<Effects, 'runDue' | 'advanceClock'>;
  /** Largest JSON body accepted, in bytes. */
  maxBodyBytes?: number;
}

export type AppEnv = { Variables: { principal: Principal; viaCookie: boolean; requestId: string; log: Logger } };
