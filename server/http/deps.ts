/** What the HTTP app is built from, and what a request carries through its middleware. */
import type { Sessions } from '../auth/sessions.ts';
import type { KeyRing, Principal, TokenVerifier } from '../auth/tokens.ts';
import type { Effects } from '../effects/effects.ts';
import type { Logger } from '../log.ts';
import type { Service } from '../service.ts';
import type { Metrics } from './metrics.ts';
import type { StreamGate } from './streams.ts';

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

/** Who may come in: tokens, sessions and the event streams' gate, built once per app. */
export interface AuthDeps {
  verifyToken: TokenVerifier;
  sessions: Sessions;
  streams: StreamGate;
}

export type FullDeps = AppDeps & AuthDeps;

/** How the caller proved who they are, checked again while a stream stays open. */
export type Credential = { kind: 'bearer'; expiresAt: number } | { kind: 'session'; id: string; expiresAt: number };

export type AppEnv = { Variables: { principal: Principal; viaCookie: boolean; credential: Credential; requestId: string; log: Logger } };
