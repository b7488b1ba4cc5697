/**
 * The write scenarios on a fresh database, all over HTTP:
 *
 * - `open`: each request opens a new dispute on a distinct pre-registered order item;
 * - `events`: `message.send` to 2,000 pre-opened disputes, the next one each time (round-robin);
 * - `hot`: `message.send` to one dispute from all 50 connections.
 *
 * `message.send` (R-NEG-8) is recorded and never changes the state, so it can be sent forever.
 * Set-up goes to the first instance; the measured load is spread over every instance.
 */
import type { RequestSpec } from 'autocannon';
import { openDisputes, registerOrders, type OpenableItem, type OpenedDispute } from '../client.ts';
import { jsonHeaders, messageBody, openBody } from '../fixtures.ts';
import { runLoad, type LoadOptions } from '../load.ts';
import { recordLoad } from '../record.ts';
import { withService, type RoundContext } from '../scenario.ts';

const ITEMS_PER_ORDER = 100; // a PUT body of 100 items stays well under the 64 KiB limit

/** The store's bare commit rate, measured with the limits of the same deployment. */
export const alsoVsCommit = (context: RoundContext) => [{ limit: 'raw.commit1', label: context.target.commitLabel }];

const loadOptions = (context: RoundContext, url: readonly string[], title: string, requests: RequestSpec[]): LoadOptions => ({
  url,
  title,
  connections: context.options.connections,
  warmupS: context.options.warmupS,
  durationS: context.options.durationS,
  requests,
});

export async function openScenario(context: RoundContext) {
  await withService(context, 'open', 'open.rps', async ({ service }) => {
    const items: OpenableItem[] = [];
    let registered = 0;
    let next = 0;
    let exhausted = 0;
    // Items are registered ahead: enough for the warm-up at a generous rate, then topped up from
    // the rate the warm-up reached, so that no request ever meets an item already disputed.
    const supply = async (count: number) => {
      const orders = Math.ceil(count / ITEMS_PER_ORDER);
      items.push(...(await registerOrders(service.url, `open${registered}-`, orders, ITEMS_PER_ORDER)));
      registered += orders;
    };
    await supply(Math.max(2_000, context.options.warmupS * 3_000));
    const request: RequestSpec = {
      method: 'POST',
      path: '/disputes',
      setupRequest(raw) {
        let item = items[next++];
        if (!item) {
          exhausted += 1;
          item = items[items.length - 1]!; // answered 409: counted, and reported below
        }
        return { ...raw, headers: jsonHeaders(item.buyerToken), body: openBody(item.orderId, item.itemId) };
      },
    };
    const result = await runLoad({
      ...loadOptions(context, service.urls, 'open disputes', [request]),
      afterWarmup: async (warmRps) => {
        const wanted = Math.ceil(Math.max(warmRps, 500) * context.options.durationS * 2) + 1_000;
        const left = items.length - next;
        if (wanted > left) await supply(wanted - left);
      },
    });
    recordLoad(context.figures, { key: 'open', label: 'open a dispute (POST /disputes)', alsoRpsVs: alsoVsCommit(context) }, result);
    if (exhausted > 0) context.figures.fail('open.rps', `ran out of pre-registered items ${exhausted} times (the figure includes duplicates)`);
  });
}

/** `message.send` from each dispute's buyer, cycling through `disputes`. */
function messagesTo(disputes: readonly OpenedDispute[]): RequestSpec {
  let n = 0;
  return {
    method: 'POST',
    setupRequest(raw) {
      const dispute = disputes[n % disputes.length]!;
      n += 1;
      return { ...raw, path: `/disputes/${dispute.id}/events`, headers: jsonHeaders(dispute.buyerToken), body: messageBody(n) };
    },
  };
}

export async function eventsScenario(context: RoundContext) {
  await withService(context, 'events', 'events.rps', async ({ service }) => {
    const count = context.options.distinctDisputes;
    const items = await registerOrders(service.url, 'events-', Math.ceil(count / ITEMS_PER_ORDER), ITEMS_PER_ORDER);
    const disputes = await openDisputes(service.url, items.slice(0, count));
    const result = await runLoad(loadOptions(context, service.urls, 'events, distinct disputes', [messagesTo(disputes)]));
    recordLoad(
      context.figures,
      { key: 'events', label: `event on ${count} distinct disputes (message.send)`, alsoRpsVs: alsoVsCommit(context), gap: true },
      result,
    );
  });
}

export async function hotScenario(context: RoundContext) {
  await withService(context, 'hot', 'hot.rps', async ({ service }) => {
    const items = await registerOrders(service.url, 'hot-', 1, 1);
    const disputes = await openDisputes(service.url, items);
    const result = await runLoad(loadOptions(context, service.urls, 'events, one hot dispute', [messagesTo(disputes)]));
    recordLoad(context.figures, { key: 'hot', label: 'event on one hot dispute, 50 writers (message.send)', alsoRpsVs: alsoVsCommit(context) }, result);
  });
}
