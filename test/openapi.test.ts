/**
 * The OpenAPI document is exactly as strict as the validation: a problem's rule is the enum of
 * docs/POLICY.md's ids, money is bounded as the API bounds it under the deployment's
 * ARBITER_MAX_AMOUNT (each bound reached, one unit more refused), every integer carries both its
 * real bounds, and every operation carries examples that validate against their own schemas
 * (JSON Schema 2020-12, with Ajv).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventCatalog, eventTypes, initialContext, policyRuleIds, refusalRuleIds, type DisputeContext } from '../machines/index.ts';
import { defaultEdge } from '../server/config.ts';
import { routeDocs } from '../server/http/openapi/document.ts';
import { startApi, type Api } from './support/api.ts';
import { openingBody, orderBody } from './support/bodies.ts';

type Json = Record<string, unknown>;
type ValidateFn = ((data: unknown) => boolean) & { errors?: unknown[] | null };
interface Ajv {
  addSchema(schema: object): Ajv;
  addFormat(name: string, check: (value: string) => boolean): Ajv;
  compile(schema: object): ValidateFn;
}

// Ajv 8 (2020-12) comes with the OpenAPI validator this project already uses; resolved from there.
const fromValidator = createRequire(createRequire(import.meta.url).resolve('@seriousme/openapi-schema-validator'));
const Ajv2020 = (fromValidator('ajv/dist/2020') as { default: new (options: object) => Ajv }).default;

const maxAmount = 50_000;
const base = 'https://arbiter.invalid/components/';
let api: Api;
let doc: Json & { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json>; examples: Record<string, Json> } };
let ajv: Ajv;

/** The document's `#/components/schemas/X` references, as absolute ones Ajv resolves. */
const absolute = (schema: unknown): object => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${base}`)) as object;

beforeAll(async () => {
  api = await startApi({ config: { edge: { ...defaultEdge, maxAmount } } });
  doc = (await api.request('GET', '/openapi.json')).body;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  // The one format the document uses, checked as the API's own validation checks it.
  ajv.addFormat('date-time', (value) => z.iso.datetime({ offset: true }).safeParse(value).success);
  for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema({ ...absolute(schema), $id: `${base}${name}` });
});
afterAll(() => api.stop());

/** Calls `visit` on every schema object under `node` (examples aside), with its JSON pointer. */
function walkSchemas(node: unknown, visit: (node: Json, path: string) => void, path = ''): void {
  if (Array.isArray(node)) node.forEach((item, i) => walkSchemas(item, visit, `${path}/${i}`));
  else if (node && typeof node === 'object') {
    visit(node as Json, path);
    for (const [key, child] of Object.entries(node)) if (key !== 'examples') walkSchemas(child, visit, `${path}/${key}`);
  }
}

interface Example {
  where: string;
  schema: unknown;
  value: unknown;
}

/** Every operation's examples: request bodies, success responses and problems, references resolved. */
function operations() {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const examplesOf = (content: Record<string, Json> | undefined, where: string): Example[] =>
        Object.entries(content ?? {}).flatMap(([media, body]) =>
          Object.entries((body.examples ?? {}) as Record<string, Json>).map(([name, example]) => {
            const resolved = typeof example.$ref === 'string' ? doc.components.examples[example.$ref.replace('#/components/examples/', '')]! : example;
            return { where: `${method} ${path} ${where} ${media} ${name}`, schema: body.schema, value: resolved.value };
          }),
        );
      const requestBody = op.requestBody as { content: Record<string, Json> } | undefined;
      const responses = Object.entries(op.responses as Record<string, { content?: Record<string, Json> }>);
      const success = responses.find(([status]) => status.startsWith('2'))!;
      return {
        name: `${method} ${path}`,
        hasBody: requestBody !== undefined,
        request: examplesOf(requestBody?.content, 'request'),
        successHasContent: success[1].content !== undefined,
        success: examplesOf(success[1].content, success[0]),
        all: responses.flatMap(([status, response]) => examplesOf(response.content, status)),
      };
    }),
  );
}

describe('the OpenAPI document', () => {
  it('still validates as OpenAPI 3.1 with its examples', async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('gives every operation a request example where it takes a body, and a response example', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(30);
    expect(ops.filter((op) => op.hasBody && op.request.length === 0).map((op) => op.name)).toEqual([]);
    expect(ops.filter((op) => op.successHasContent && op.success.length === 0).map((op) => op.name)).toEqual([]);
    expect(ops.filter((op) => op.all.length === 0).map((op) => op.name)).toEqual([]);
  });

  it('every example validates against its own schema', () => {
    const examples = operations().flatMap((op) => [...op.request, ...op.all]);
    expect(examples.length).toBeGreaterThan(200);
    const failures = examples.flatMap(({ where, schema, value }) => {
      const validate = ajv.compile(absolute(schema));
      return validate(value) ? [] : [`${where}: ${JSON.stringify(validate.errors?.slice(0, 3))}`];
    });
    expect(failures).toEqual([]);
  });

  it('the schemas refuse what the API refuses: a wrong rule id, a version 0, a status below 400', () => {
    const problem = ajv.compile({ $ref: `${base}Problem` });
    const valid = { type: '/problems/not-eligible', title: 'x', status: 422, detail: 'x', instance: '/disputes', errors: [{ message: 'x', rule: 'R-OPEN-1' }] };
    expect(problem(valid)).toBe(true);
    expect(problem({ ...valid, errors: [{ message: 'x', rule: 'R-OPEN-11' }] })).toBe(false);
    expect(problem({ ...valid, status: 200 })).toBe(false);
    const dispute = ajv.compile({ $ref: `${base}Dispute` });
    const opened = doc.components.examples.DisputeOpened!.value as Json;
    expect(dispute(opened)).toBe(true);
    expect(dispute({ ...opened, version: 0 })).toBe(false);
    expect(dispute({ ...opened, amounts: { ...(opened.amounts as Json), held: -1 } })).toBe(false);
  });

  it("a problem's rule is the enum of docs/POLICY.md's rule ids and EVENT", () => {
    const policy = readFileSync(new URL('../docs/POLICY.md', import.meta.url), 'utf8');
    expect([...policyRuleIds]).toEqual([...policy.matchAll(/^\| (R-[A-Z]+-\d+) \|/gm)].map((m) => m[1]));
    const rule = ((doc.components.schemas.Problem!.properties as Json).errors as { items: { properties: { rule: Json } } }).items.properties.rule;
    expect(rule.type).toBe('string');
    expect(rule.enum).toEqual([...refusalRuleIds]);
  });

  it('money is bounded as the API bounds it under the configured ARBITER_MAX_AMOUNT: each bound reached, one unit more refused', async () => {
    const schemas = doc.components.schemas;
    const unbounded: string[] = [];
    walkSchemas(schemas, (node, path) => {
      if (node['x-money'] === 'minor-units' && typeof node.maximum !== 'number') unbounded.push(path);
    });
    expect(unbounded).toEqual([]);
    const props = (schema: Json) => schema.properties as Record<string, Json>;
    const item = props((props(schemas.OrderRegistration!).items as { items: Json }).items);
    const dispute = props(schemas.Dispute!);
    const variant = (type: string) => props((schemas.DisputeEvent!.oneOf as Json[]).find((v) => props(v).type!.const === type)!);
    const max = (schema: Json | undefined) => schema!.maximum as number;
    // Prices and shipping: what the order check lets through.
    expect([max(item.price), max(item.shippingCost)]).toEqual([maxAmount, maxAmount]);
    const system = api.token('system', 'marketplace');
    const buyer = api.token('buyer', 'buyer-ana');
    const seller = api.token('seller', 'seller-bolt');
    const order = orderBody(api.service.clock.now(), { price: max(item.price), shippingCost: max(item.shippingCost) });
    const over = { ...order, items: [{ ...order.items[0]!, shippingCost: max(item.shippingCost) + 1 }] };
    expect((await api.request('PUT', '/orders/o-max', { token: system, body: over })).status).toBe(422);
    expect((await api.request('PUT', '/orders/o-max', { token: system, body: order })).status).toBe(200);

    // The amount asked at open: at most the price (R-OPEN-7).
    const asked = max(props(schemas.OpenDispute!).amount);
    const open = (amount: number) => api.request('POST', '/disputes', { token: buyer, body: openingBody('o-max', { amount, includeShipping: true }) });
    expect((await open(asked + 1)).status).toBe(422);
    const opened = await open(asked);
    expect(opened.status).toBe(201);
    // The dispute's amounts: at most what was paid, which this dispute reaches.
    const isDispute = ajv.compile({ $ref: `${base}Dispute` });
    expect(isDispute(opened.body), JSON.stringify(isDispute.errors)).toBe(true);
    expect(opened.body.amounts.paid).toBe(max(props(dispute.amounts!).paid));
    expect(opened.body.refund.requested).toBe(max(props(dispute.refund!).requested));

    // An event's amounts: the limits the event catalogue computes, on the largest dispute there is.
    const context = initialContext((await api.service.store.getDispute(opened.body.id))!.input);
    const eventBounds = eventTypes.flatMap((type) => {
      const maxima = (eventCatalog[type] as { maxima?: (c: DisputeContext) => Record<string, number> }).maxima?.(context) ?? {};
      return Object.entries(maxima).map(([field, bound]) => [`${type}.${field}`, max(variant(type)[field]), bound]);
    });
    expect(eventBounds.length).toBeGreaterThanOrEqual(4);
    expect(eventBounds.filter(([, documented, bound]) => documented !== bound)).toEqual([]);
    const offer = (amount: number) =>
      api.request('POST', `/disputes/${opened.body.id}/events`, { token: seller, body: { type: 'seller.counterOffer', amount } });
    const counter = max(variant('seller.counterOffer').amount);
    expect((await offer(counter + 1)).status).toBe(422);
    const offered = await offer(counter);
    expect(offered.status).toBe(200);
    expect(isDispute(offered.body), JSON.stringify(isDispute.errors)).toBe(true);
    expect(offered.body.onTheTable.offer.refund).toBe(counter);
  });

  it('every integer has both bounds, within the safe range: none left at ±(2^53 - 1) by default', () => {
    const loose: string[] = [];
    walkSchemas({ paths: doc.paths, schemas: doc.components.schemas }, (n, path) => {
      if (n.type !== 'integer') return;
      const { minimum, maximum } = n as { minimum?: unknown; maximum?: unknown };
      const bounded = typeof minimum === 'number' && typeof maximum === 'number' && minimum >= 0 && minimum <= maximum && maximum <= Number.MAX_SAFE_INTEGER;
      if (!bounded) loose.push(`${path} ${minimum} ${maximum}`);
    });
    expect(loose).toEqual([]);
  });
});

describe('query parameters', () => {
  it('every one a route reads is documented: routes read the query only through a schema, the one their documentation lists', async () => {
    const dir = new URL('../server/http/routes/', import.meta.url);
    const schemaModule = (await import('../server/http/schemas.ts')) as Record<string, unknown>;
    const checked: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      expect(text, `${file} reads the query string around its schema`).not.toMatch(/\.req\.quer(y|ies)\(/);
      // A route's query schema is its own export or one of server/http/schemas.ts.
      const exports = { ...schemaModule, ...((await import(new URL(file, dir).href)) as Record<string, unknown>) };
      // Each route's method and path, and the schema of the `queryOf` among its middleware.
      const uses = [...text.matchAll(/\.(get|post|put|delete)\(\s*'([^']+)'((?:(?!\.(?:get|post|put|delete)\()[\s\S])*?)queryOf\((\w+)\)/g)];
      expect(uses.length, `${file}: every queryOf is in a route the pattern finds`).toBe(text.split('queryOf(').length - 1);
      for (const [, method, path, , name] of uses) {
        const route = `${method} ${path!.replace(/:(\w+)/g, '{$1}')}`;
        const documented = routeDocs.find((r) => `${r.method} ${r.path}` === route);
        expect(exports[name!], `${file} or schemas.ts exports ${name}`).toBeDefined();
        expect(documented?.query, `${route} documents the query schema it validates with`).toBe(exports[name!]);
        const parameters = ((doc.paths[documented!.path]![method!] as Json).parameters as Json[]).filter((p) => p.in === 'query').map((p) => p.name);
        expect(parameters, route).toEqual(Object.keys((exports[name!] as z.ZodObject).shape));
        checked.push(route);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['get /disputes', 'get /disputes/{id}/evidence', 'get /agent/queue', 'get /admin/outbox']));
  });

  it('includeHidden is documented with an example and does what it says: support sees hidden evidence, a buyer asking is ignored, a bad value refused', async () => {
    const param = ((doc.paths['/disputes/{id}/evidence']!.get as Json).parameters as Json[]).find((p) => p.name === 'includeHidden');
    expect(param).toMatchObject({ in: 'query', required: false, example: 'true', schema: { type: 'string', enum: ['true', 'false'] } });
    expect(param!.description).toMatch(/Agents, support and admins only: for buyers and sellers it is ignored/);

    const [system, buyer, support] = [api.token('system', 'marketplace'), api.token('buyer', 'buyer-ana'), api.token('support', 'support-sam')];
    expect((await api.request('PUT', '/orders/o-hidden', { token: system, body: orderBody(api.service.clock.now()) })).status).toBe(200);
    const { id } = (await api.request('POST', '/disputes', { token: buyer, body: openingBody('o-hidden') })).body as { id: string };
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');
    const form = new FormData();
    form.set('file', new Blob([png], { type: 'image/png' }), 'photo.png');
    const uploaded = await fetch(`${api.url}/disputes/${id}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${buyer}` }, body: form });
    const evidenceId = ((await uploaded.json()) as { evidence: { id: string } }).evidence.id;
    expect((await api.request('POST', `/disputes/${id}/evidence/${evidenceId}/hide`, { token: buyer })).status).toBe(200);

    const list = (token: string, query = '') => api.request('GET', `/disputes/${id}/evidence${query}`, { token });
    expect((await list(support)).body.items).toEqual([]);
    expect((await list(support, '?includeHidden=false')).body.items).toEqual([]);
    expect((await list(support, '?includeHidden=true')).body.items).toEqual([expect.objectContaining({ id: evidenceId, hidden: true })]);
    const ignored = await list(buyer, '?includeHidden=true');
    expect([ignored.status, ignored.body.items]).toEqual([200, []]);
    for (const query of ['?includeHidden=yes', '?includeHidden=true&hidden=true']) {
      const refused = await list(support, query);
      expect([refused.status, refused.headers.get('content-type'), refused.body.type], query).toEqual([
        422,
        'application/problem+json',
        '/problems/invalid-request',
      ]);
    }
    // Who may not see the dispute learns nothing from a bad query either: 404 comes first.
    expect((await list(api.token('seller', 'seller-other'), '?includeHidden=yes')).status).toBe(404);
  });
});
