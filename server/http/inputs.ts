/**
 * What a request brings in, checked before a handler runs: JSON bodies (content type, size,
 * hostile shapes, then the zod schema), query strings and path parameters (ids by pattern), and
 * the `Idempotency-Key` and `If-Match` headers. Each failure is a problem; nothing unchecked
 * reaches the runtime or the store.
 */
import type { Context, Env, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { validator } from 'hono/validator';
import { z } from 'zod';
import { fieldIssues } from '../../machines/index.ts';
import { HttpProblem, type FieldError } from './problems.ts';

/** A zod error's problems, one per field (an unknown field named too), as events answer them. */
export const zodErrors = (error: z.ZodError): FieldError[] => fieldIssues(error);

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpProblem('invalid-request', 'the request has invalid fields', { errors: zodErrors(parsed.error) });
  return parsed.data;
}

const limits = { depth: 16, keys: 500 };
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** Refuses JSON no client of this API sends: deep nesting, huge objects, prototype keys. */
export function hostileShape(value: unknown, depth = 0): string | null {
  if (depth > limits.depth) return `nesting deeper than ${limits.depth} levels`;
  if (Array.isArray(value)) {
    if (value.length > limits.keys) return `an array of more than ${limits.keys} items`;
    for (const item of value) {
      const problem = hostileShape(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length > limits.keys) return `an object of more than ${limits.keys} keys`;
    for (const key of keys) {
      if (forbiddenKeys.has(key)) return `the key ${JSON.stringify(key)}`;
      const problem = hostileShape((value as Record<string, unknown>)[key], depth + 1);
      if (problem) return problem;
    }
  }
  return null;
}

/**
 * Caps a body while it streams, with or without Content-Length: past `maxBytes` the request is
 * answered 413 at once and the rest is never read, so memory stays flat whatever is sent.
 */
export function limitBody(maxBytes: number, what = 'this route') {
  const tooLarge = () => {
    throw new HttpProblem('payload-too-large', `the body is larger than ${maxBytes} bytes, the limit of ${what}`);
  };
  const streaming = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return createMiddleware(async function limitBody(c, next) {
    // With a Content-Length (and no chunking), Node's parser stops the body at that length: the
    // header alone decides, and the body stays on Node's fast path (no web stream is built).
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (!/^\d+$/.test(length) || Number(length) > maxBytes) tooLarge();
      return next();
    }
    return streaming(c, next);
  });
}

/**
 * A JSON body of this shape: 415 without a JSON content type, 400 malformed or hostile, 422 invalid.
 * The route's type says a caller sends `In`, the schema's input (`z.input`: fields with defaults
 * optional), and the handler gets its output: so `hc<AppType>` asks exactly what the server takes.
 * `In` is given apart only where a route takes any object and its runtime checks the rest (events).
 */
export function jsonBody<S extends z.ZodType, In = z.input<S>>(schema: S) {
  // Hono's validator parses a JSON content type (malformed JSON is its 400, mapped in onError).
  const check = validator('json', function jsonBody(value: unknown, c: Context) {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/([\w.-]+\+)?json\b/i.test(type))
      throw new HttpProblem('unsupported-media-type', `send a JSON body with Content-Type: application/json (got ${type || 'none'})`);
    const hostile = hostileShape(value);
    if (hostile) throw new HttpProblem('malformed-request', `the body is refused: it holds ${hostile}`);
    return parseWith<S>(schema, value);
  });
  // Left to itself, Hono would type what a client sends as what the validator returns (defaults required).
  return check as unknown as MiddlewareHandler<Env, string, { in: { json: In }; out: { json: z.output<S> } }>;
}

export function queryOf<S extends z.ZodType>(schema: S) {
  return validator('query', function query(value) {
    return parseWith<S>(schema, value);
  });
}

/** Identifiers in paths: what ids this service and marketplaces use, nothing else. */
export const PathId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/, 'an id of letters, digits, _ . : - (at most 200)');

export function paramsOf<S extends z.ZodType>(schema: S) {
  return validator('param', function params(value) {
    const parsed = schema.safeParse(value);
    // An id that cannot exist is a resource that does not exist.
    if (!parsed.success)
      throw new HttpProblem(
        'not-found',
        `no such resource: ${zodErrors(parsed.error)
          .map((e) => `${e.field}: ${e.message}`)
          .join('; ')}`,
      );
    return parsed.data;
  });
}

export function idempotencyKeyOf(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key))
    throw new HttpProblem('malformed-request', 'Idempotency-Key must be 1 to 200 visible ASCII characters');
  return key;
}

export function ifMatchOf(c: Context): number | undefined {
  const header = c.req.header('if-match');
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(header.trim());
  if (!match) throw new HttpProblem('malformed-request', 'If-Match takes the dispute version, e.g. If-Match: "3"');
  return Number(match[1]);
}
