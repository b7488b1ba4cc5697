/**
 * Whole disputes, mixed like real traffic. Each connection plays one dispute at a time from
 * opening to its last step (autocannon's request sequence with a per-connection context), then
 * starts the next one; the flows are dealt in a fixed interleaved order, so every run has the
 * same mix. A step that fails ends its flow (the failure is counted like any non-2xx).
 */
import type { RequestSpec } from 'autocannon';
import { registerOrders, token, type OpenableItem } from '../client.ts';
import { jsonHeaders, openBody } from '../fixtures.ts';
import { runLoad } from '../load.ts';
import { recordLoad } from '../record.ts';
import { withService, type RoundContext } from '../scenario.ts';
import { alsoVsCommit } from './writes.ts';

type Party = 'buyer' | 'seller' | 'agent';
interface Step {
  party: Party;
  method: 'GET' | 'POST';
  path: (id: string) => string;
  body?: Record<string, unknown>;
}

const view = (party: Party): Step => ({ party, method: 'GET', path: (id) => `/disputes/${id}` });
const send = (party: Party, body: Record<string, unknown>): Step => ({ party, method: 'POST', path: (id) => `/disputes/${id}/events`, body });
const counterOffer = send('seller', { type: 'seller.counterOffer', amount: 2500, note: 'Keep it, with 25.00 back' });
const escalateAndDecide = (decision: Record<string, unknown>): Step[] => [
  send('buyer', { type: 'buyer.escalate', reason: 'We cannot agree' }),
  { party: 'agent', method: 'GET', path: () => '/agent/queue?limit=20' },
  send('agent', { type: 'agent.assign' }),
  send('agent', { type: 'agent.decide', ...decision }),
];

/** The steps after opening, per flow, with their share of disputes (per 20). */
const flows: Record<string, { per20: number; steps: Step[] }> = {
  sellerAccepts: { per20: 6, steps: [view('seller'), send('seller', { type: 'seller.accept' })] },
  offerAccepted: { per20: 5, steps: [view('seller'), counterOffer, view('buyer'), send('buyer', { type: 'buyer.acceptOffer' })] },
  offerRejectedDecided: {
    per20: 3,
    steps: [
      view('seller'),
      counterOffer,
      send('buyer', { type: 'buyer.rejectOffer', reason: 'Too little' }),
      ...escalateAndDecide({ outcome: 'buyer_partial_refund', amount: 2800, reason: 'Colour differs; usable' }),
    ],
  },
  rejectedDecided: {
    per20: 2,
    steps: [
      send('seller', { type: 'seller.reject', reason: 'It matches the photos' }),
      ...escalateAndDecide({ outcome: 'seller_wins', reason: 'The listing shows this colour' }),
    ],
  },
  talkThenCancel: {
    per20: 2,
    steps: [
      send('buyer', { type: 'message.send', body: 'Is it the wrong batch?' }),
      send('seller', { type: 'message.send', body: 'Let me check' }),
      send('buyer', { type: 'buyer.cancel', reason: 'Sorted out' }),
    ],
  },
  sellerSilent: { per20: 2, steps: [{ party: 'buyer', method: 'GET', path: (id) => `/disputes/${id}/history` }] },
};

/** The 20 flows in dealing order: each flow spread evenly, not in blocks. */
const deal: string[] = Object.entries(flows)
  .flatMap(([name, { per20 }]) => Array.from({ length: per20 }, (_, k) => ({ name, at: (k + 0.5) / per20 })))
  .sort((a, b) => a.at - b.at)
  .map((f) => f.name);

const longest = Math.max(...Object.values(flows).map((f) => f.steps.length));
const agents = Array.from({ length: 10 }, (_, i) => token('agent', `agent-${i}`));

export const lifecycleExplanation =
  `**Lifecycle mix** (\`lifecycle\`): each connection plays one dispute from opening to its end, then the next. Per 20 disputes: ` +
  Object.entries(flows)
    .map(([name, f]) => `${f.per20} × ${name} (open → ${f.steps.map((s) => (s.body ? String(s.body.type) : `${s.party} GET ${s.path('{id}')}`)).join(' → ')})`)
    .join('; ') +
  '. Reads are the pages each party opens before acting; agents read their queue before taking a case. req/s counts every request; "disputes/s" counts flows completed to their last step.';

export async function lifecycleScenario(context: RoundContext) {
  await withService(context, 'lifecycle', 'lifecycle.rps', async ({ service }) => {
    const items: OpenableItem[] = [];
    let registered = 0;
    let nextItem = 0;
    let nextFlow = 0;
    let completed = 0;
    const supply = async (count: number) => {
      const orders = Math.ceil(count / 100);
      items.push(...(await registerOrders(service.url, `life${registered}-`, orders, 100)));
      registered += orders;
    };
    await supply(Math.max(1_000, context.options.warmupS * 800));
    const sellers = new Map<string, string>();
    const tokenOf = (party: Party, ctx: Record<string, unknown>) =>
      party === 'buyer' ? (ctx.buyer as string) : party === 'seller' ? (ctx.seller as string) : agents[(ctx.flowNo as number) % agents.length]!;

    const opening: RequestSpec = {
      method: 'POST',
      path: '/disputes',
      setupRequest(raw, ctx) {
        const item = items[nextItem++] ?? items[items.length - 1]!;
        Object.assign(ctx, { flowNo: nextFlow, flow: deal[nextFlow % deal.length], buyer: item.buyerToken, failed: false });
        nextFlow += 1;
        return { ...raw, headers: jsonHeaders(item.buyerToken), body: openBody(item.orderId, item.itemId) };
      },
      onResponse(status, body, ctx) {
        if (status !== 201) return void (ctx.failed = true);
        const opened = JSON.parse(body) as { id: string; sellerId: string };
        if (!sellers.has(opened.sellerId)) sellers.set(opened.sellerId, token('seller', opened.sellerId));
        Object.assign(ctx, { id: opened.id, seller: sellers.get(opened.sellerId) });
      },
    };
    const stepAt = (k: number): RequestSpec => ({
      setupRequest(raw, ctx) {
        const step = flows[ctx.flow as string]!.steps[k];
        if (!step || ctx.failed) return null; // the flow is over: start the next dispute
        const headers = step.body ? jsonHeaders(tokenOf(step.party, ctx)) : { authorization: `Bearer ${tokenOf(step.party, ctx)}` };
        return { ...raw, method: step.method, path: step.path(ctx.id as string), headers, body: step.body ? JSON.stringify(step.body) : '' };
      },
      onResponse(status, _body, ctx) {
        if (status < 200 || status > 299) ctx.failed = true;
        else if (k === flows[ctx.flow as string]!.steps.length - 1) completed += 1;
      },
    });
    const result = await runLoad({
      url: service.urls,
      title: 'lifecycles',
      connections: context.options.connections,
      warmupS: context.options.warmupS,
      durationS: context.options.durationS,
      requests: [opening, ...Array.from({ length: longest }, (_, k) => stepAt(k))],
      afterWarmup: async (warmRps) => {
        completed = 0;
        const wanted = Math.ceil(Math.max(warmRps, 500) * context.options.durationS) + 1_000; // fewer than one opening per request
        if (wanted > items.length - nextItem) await supply(wanted - (items.length - nextItem));
      },
    });
    recordLoad(context.figures, { key: 'lifecycle', label: 'lifecycle mix (open … decide, reads included)', alsoRpsVs: alsoVsCommit(context) }, result);
    context.figures.add(
      { key: 'lifecycle.flows', label: 'lifecycle mix: disputes played to their last step per second', unit: '/s', better: 'higher' },
      completed / result.durationS,
    );
    if (nextItem > items.length) context.figures.fail('lifecycle.rps', `ran out of pre-registered items (${nextItem - items.length} openings reused one)`);
  });
}
