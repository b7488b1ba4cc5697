/**
 * The OpenAPI 3.1 document, generated from the zod schemas (`z.toJSONSchema`, JSON Schema
 * 2020-12 as OpenAPI 3.1 uses it) and the route tables (`routes-*.ts`). A test checks that the table and
 * the app's routes are the same set, so the document cannot drift from what is served. It is as
 * strict as the validation: money fields are bounded as the configured ARBITER_MAX_AMOUNT bounds
 * them (`money.ts`), and every operation carries examples (`examples.ts`) that a test validates
 * against their schemas.
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { defaultEdge } from '../../config.ts';
import { PathId } from '../inputs.ts';
import { problemTypes } from '../problems.ts';
import '../schemas.ts';
import { documentExamples, problemExamples } from './examples.ts';
import { boundMoney, moneyBounds } from './money.ts';
import { ref, type RouteDoc } from './route-doc.ts';
import { coreRouteDocs } from './routes-core.ts';
import { moreRouteDocs } from './routes-more.ts';

const { version: packageVersion } = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** Every route the app serves, documented. */
export const routeDocs: RouteDoc[] = [...coreRouteDocs, ...moreRouteDocs];

const headerParams = {
  'If-Match': {
    name: 'If-Match',
    in: 'header',
    required: false,
    description: 'The dispute version you last saw (ETag); a stale one answers 412',
    schema: { type: 'string', pattern: '^\\s*(W/)?"?\\d{1,15}"?\\s*$', example: '"3"' },
  },
  'Idempotency-Key': {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'A repeat with the same key returns the first answer and changes nothing (kept 24 h, per caller)',
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
  },
  'X-CSRF-Token': {
    name: 'X-CSRF-Token',
    in: 'header',
    required: false,
    description: 'Required with the cookie session: the arbiter_csrf cookie’s value',
    schema: { type: 'string' },
  },
};

function componentSchemas(maxAmount: number): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { uri: (id) => `#/components/schemas/${id}`, io: 'input', unrepresentable: 'any' }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  boundMoney(schemas, moneyBounds(maxAmount));
  return schemas;
}

/** Path parameters as the routes check them: ids by pattern (`PathId`), outbox rows by number; the inspector's pages take any. */
function pathParamSchema(name: string, path: string): Record<string, unknown> {
  if (path.startsWith('/inspect')) return { type: 'string' };
  if (name === 'outboxId') return { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER };
  if (['id', 'orderId', 'itemId', 'evidenceId'].includes(name)) {
    const { $schema: _, ...schema } = z.toJSONSchema(PathId) as Record<string, unknown>;
    return schema;
  }
  return { type: 'string' };
}

function queryParams(query: z.ZodObject) {
  const json = z.toJSONSchema(query, { io: 'input' }) as { properties: Record<string, Record<string, unknown>>; required?: string[] };
  // A parameter's description and example go on the parameter, where reference pages show them.
  return Object.entries(json.properties).map(([name, { description, example, ...schema }]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    ...(description !== undefined ? { description } : {}),
    ...(example !== undefined ? { example } : {}),
    schema,
  }));
}

export function buildOpenApiDocument(options: { maxAmount?: number } = {}) {
  const maxAmount = options.maxAmount ?? defaultEdge.maxAmount;
  const examples = documentExamples();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routeDocs) {
    const example = examples.operations[`${route.method} ${route.path}`];
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: pathParamSchema(m[1]!, route.path),
    }));
    const responses: Record<string, unknown> = {};
    const okExamples = example ? { examples: example.response } : {};
    const okContent = route.ok.schema
      ? { 'application/json': { schema: ref(route.ok.schema), ...okExamples } }
      : route.ok.json
        ? { 'application/json': { schema: route.ok.json, ...okExamples } }
        : route.ok.content
          ? { [route.ok.content]: { schema: { type: 'string' }, ...okExamples } }
          : undefined;
    responses[String(route.ok.status)] = { description: route.ok.description, ...(okContent ? { content: okContent } : {}) };
    // Every write may meet the rate limits (429) and a database that cannot take writes (503).
    const errors = route.method === 'get' ? route.errors : [...new Set([...route.errors, 429, 503])];
    for (const status of errors) {
      const types = Object.entries(problemTypes)
        .filter(([, t]) => t.status === status)
        .map(([name]) => `/problems/${name}`);
      responses[String(status)] = {
        description: `Problem: ${types.join(', ')}`,
        content: { 'application/problem+json': { schema: ref('Problem'), examples: problemExamples(status) } },
      };
    }
    responses['500'] = {
      description: 'Problem: /problems/internal (with errorId)',
      content: { 'application/problem+json': { schema: ref('Problem'), examples: problemExamples(500) } },
    };
    const requestExamples = example?.request ? { examples: example.request } : {};
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      operationId: `${route.method}${route.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^a-zA-Z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      ...(route.auth ? {} : { security: [] }),
      parameters: [...pathParams, ...(route.query ? queryParams(route.query) : []), ...(route.headers ?? []).map((h) => headerParams[h])],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(route.body), ...requestExamples } } } } : {}),
      ...(route.upload
        ? {
            requestBody: {
              required: true,
              content: {
                'multipart/form-data': {
                  schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } } },
                  ...requestExamples,
                },
              },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Arbiter',
      version: packageVersion,
      description:
        'Buyer-protection disputes as durable, inspectable statecharts. Authenticate with `Authorization: Bearer <token>`: a JWT with `sub`, `role`, `exp`, signed HS256 with a configured key or RS256 / ES256 with a key of the identity provider’s JWKS, chosen by `kid`. Every error is `application/problem+json`; its `type` resolves to an explanation. Writes are rate-limited per token and per address (429 with Retry-After).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: ['Disputes', 'Evidence', 'Orders', 'Agents', 'Effects', 'Machine', 'Inspector', 'Sessions', 'Admin', 'Service'].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, session: { type: 'apiKey', in: 'cookie', name: 'arbiter_session' } },
      schemas: componentSchemas(maxAmount),
      examples: examples.components,
    },
  };
}
