/**
 * The part of autocannon 8's programmatic API the benchmark uses (the package ships no types,
 * and adding @types/autocannon would touch package.json).
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface RawRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }

  export interface RequestSpec extends RawRequest {
    /** Builds each request; returning nothing restarts the connection's sequence at the first one. */
    setupRequest?: (request: RawRequest, context: Record<string, unknown>) => RawRequest | undefined | null | false;
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void;
  }

  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    pipelining?: number;
    requests?: RequestSpec[];
    initialContext?: Record<string, unknown>;
    excludeErrorStats?: boolean;
  }

  export interface Histogram {
    average: number;
    min: number;
    max: number;
    p50: number;
    p99: number;
    [percentile: string]: number;
  }

  export interface Result {
    requests: Histogram & { total: number };
    latency: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
    start: Date;
    finish: Date;
  }

  export interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void;
  }

  export default function autocannon(options: Options): Instance;
}
