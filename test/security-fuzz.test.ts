/**
 * A fuzz run derived from the OpenAPI document the service serves (GET /openapi.json): at least
 * 10,000 requests over every documented operation, with bodies, queries, path ids and headers
 * drawn from its schemas and then mutated, sent by every role, by strangers and by forgers.
 * Passes when no answer is a 500 (or any 5xx), every refusal is a problem document, and no
 * dispute changed by a refused request (every commit is heard; each is attributed to the request
 * in flight). The seed is fixed (ARBITER_TEST_FUZZ_SEED overrides it), so a failure repeats.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultEdge } from '../server/config.ts';
import { mintToken } from '../server/auth/tokens.ts';
import { startApi, type Api } from './support/api.ts';
import { createValueGenerator, seeded } from './support/fuzz.ts';

const REQUESTS = 10_000;
const SEED = Number(process.env.ARBITER_TEST_FUZZ_SEED ?? 20_261_203);
const DAY = 86_400_000;

type Operation = {
  method: string;
  path: string;
  spec: { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } };
};
type Parameter = { name: string; in: 'path' | 'query' | 'header'; schema: Record<string, unknown> };

let api: Api;
let operations: Operation[];
let document: { components: { schemas: Record<string, Record<string, unknown>> }; paths: Record<string, Record<string, Operation['spec']>> };
const ids = { id: [] as string[], evidenceId: [] as string[], orderId: [] as string[], itemId: ['item-1', 'item-2'], outboxId: ['1', '2', '3'] };
let credentials: (string | undefined)[];
/** Commits by the fuzzer's own parties while a request is in flight (background work is not theirs). */
let commitsInFlight: string[] = [];
const fuzzParties = new Set(['buyer-ana', 'buyer-ben', 'seller-bolt', 'agent-kim', 'agent-lee', 'fuzz-system']);

function order(buyerId: string) {
  const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  const item = (itemId: string, price: number) => ({
    itemId,
    price,
    shippingCost: 500,
    shippedAt: iso(-12),
    deliveryWindowEndsAt: iso(18),
    deliveredAt: iso(-2),
  });
  return { buyerId, sellerId: 'seller-bolt', currency: 'USD', paymentMethod: 'card', items: [item('item-1', 4000), item('item-2', 1500)] };
}

beforeAll(async () => {
  api = await startApi({ config: { edge: { ...defaultEdge, rateLimits: false } } });
  const system = api.token('system', 'fuzz-system');
  for (const [orderId, buyer] of [
    ['o-1', 'buyer-ana'],
    ['o-2', 'buyer-ana'],
    ['o-3', 'buyer-ben'],
  ] as const) {
    expect((await api.request('PUT', `/orders/${orderId}`, { token: system, body: order(buyer) })).status).toBe(200);
    ids.orderId.push(orderId);
    const opened = await api.request('POST', '/disputes', {
      token: api.token('buyer', buyer),
      body: { orderId, itemId: 'item-1', type: 'refund_only', reason: 'damaged_or_defective', description: 'Broken', amount: 4000 },
    });
    ids.id.push(opened.body.id);
  }
  const form = new FormData();
  form.set('file', new Blob([Buffer.from('89504e470d0a1a0a0000000d4948445200', 'hex')], { type: 'image/png' }), 'p.png');
  const upload = await fetch(`${api.url}/disputes/${ids.id[0]}/evidence`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.token('buyer', 'buyer-ana')}` },
    body: form,
  });
  ids.evidenceId.push(((await upload.json()) as { evidence: { id: string } }).evidence.id);
  credentials = [
    ...['buyer-ana', 'buyer-ben'].map((sub) => api.token('buyer', sub)),
    api.token('seller', 'seller-bolt'),
    ...['agent-kim', 'agent-lee'].map((sub) => api.token('agent', sub)),
    api.token('support', 'support-sam'),
    system,
    api.token('admin', 'admin'),
    undefined,
    'not.a.token',
    mintToken([{ kid: 'k2', secret: 'forged-secret-0123456789abcdefghijklmnop' }], { role: 'admin', sub: 'admin' }, 600),
    mintToken([{ kid: 'k2', secret: 'second-secret-0123456789abcdefghijklmnop' }], { role: 'admin', sub: 'admin' }, -60),
  ];
  api.service.runtime.subscribe(({ history }) => {
    for (const row of history) if (fuzzParties.has(row.actorId) && !row.type.startsWith('deadline.')) commitsInFlight.push(`${row.type} by ${row.actorId}`);
  });
  document = (await api.request('GET', '/openapi.json')).body;
  operations = Object.entries(document.paths)
    .filter(([path]) => path !== '/docs/scalar.js') // 3 MB of static script, no input to vary
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, spec]) => ({ method: method.toUpperCase(), path, spec })));
});
afterAll(() => api.stop());

it(`${REQUESTS} requests derived from the OpenAPI document: no 500, no dispute changed by a refusal`, async () => {
  const random = seeded(SEED);
  const values = createValueGenerator(document, random, SEED);
  const statuses = new Map<number, number>();
  const failures: string[] = [];

  for (let n = 0; n < REQUESTS; n += 1) {
    let { method, path, spec } = random.pick(operations);
    // Generating paths through the machine costs about a second: fuzzed, but rarely.
    if (path === '/machines/dispute/paths' && random.chance(0.95)) ({ method, path, spec } = random.pick(operations.filter((o) => o.path !== path)));
    const query = new URLSearchParams();
    const headers: Record<string, string> = {};
    let url = path;
    for (const parameter of spec.parameters ?? []) {
      if (parameter.in === 'path') {
        const known = ids[parameter.name as keyof typeof ids];
        const id = known && random.chance(0.85) ? random.pick(known) : values.string();
        url = url.replace(`{${parameter.name}}`, encodeURIComponent(id));
      } else if (parameter.in === 'query' && random.chance(0.4)) {
        const drawn = random.chance(0.8) ? values.value(parameter.schema) : values.junk();
        query.set(parameter.name, typeof drawn === 'string' ? drawn : JSON.stringify(drawn));
      } else if (parameter.in === 'header' && random.chance(0.5)) {
        headers[parameter.name] = parameter.name === 'If-Match' ? `"${random.int(0, 12)}"` : `key-${random.int(0, 30)}`;
      }
    }
    if (random.chance(0.05)) query.set(values.string().slice(0, 10) || 'x', values.string());
    const token = random.pick(credentials);
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | FormData | undefined;
    const json = spec.requestBody?.content['application/json'];
    if (spec.requestBody?.content['multipart/form-data']) {
      const form = new FormData();
      const bytes = random.chance(0.5) ? Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') : Buffer.from(values.string());
      form.set(random.chance(0.9) ? 'file' : 'other', new Blob([new Uint8Array(bytes)]), values.string().slice(0, 20) || 'f');
      body = form;
    } else if (json) {
      body = random.chance(0.03) ? values.string() : JSON.stringify(values.mutated(json.schema));
      headers['content-type'] = random.chance(0.95) ? 'application/json' : random.pick(['text/plain', 'application/x-www-form-urlencoded', '']);
    }
    const target = `${api.url}${url}${query.size ? `?${query}` : ''}`;
    commitsInFlight = [];
    const controller = new AbortController();
    const res = await fetch(target, { method, headers, signal: controller.signal, ...(body === undefined ? {} : { body }) });
    if (path.endsWith('/stream') && res.status === 200)
      controller.abort(); // an open stream: its status is the answer
    else await res.arrayBuffer();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const where = `#${n} ${method} ${target} ${typeof body === 'string' ? body.slice(0, 300) : ''}`;
    if (res.status >= 500) failures.push(`${res.status} at ${where}`);
    if (res.status >= 400 && !(res.headers.get('content-type') ?? '').startsWith('application/problem+json')) failures.push(`not a problem at ${where}`);
    if (res.status >= 400 && commitsInFlight.length > 0) failures.push(`refused ${res.status} yet committed ${commitsInFlight.join(', ')} at ${where}`);
  }

  const summary = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
  console.log(`fuzz (seed ${SEED}): ${REQUESTS} requests over ${operations.length} operations; ${summary.join(' ')}; ${failures.length} failures`);
  expect(failures.slice(0, 20)).toEqual([]);
  expect([...statuses.keys()].some((s) => s < 300)).toBe(true); // it reached the handlers, not only the refusals
}, 300_000);
