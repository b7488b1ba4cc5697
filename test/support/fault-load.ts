/**
 * Concurrent load on a service process that is killed under it: workers open disputes, send
 * messages and the steps the model offers, and move the demo clock, each request with its own
 * Idempotency-Key. A request answered 2xx is acknowledged; one cut off by the kill is in doubt
 * and is sent again, with the same key, once the service is back (an at-least-once client).
 */
import { randomUUID } from 'node:crypto';
import { disputeMachine, type DisputeSnapshot } from '../../machines/index.ts';
import { nextSteps } from '../../server/testing/model.ts';
import { parties, type Party } from '../../server/testing/samples.ts';
import { modelInput, orderRegistration, scenarios } from '../../server/testing/scenarios.ts';
import { mintToken, type KeyRing } from '../../server/auth/tokens.ts';

export interface Sent {
  key: string;
  kind: 'order' | 'open' | 'message' | 'step' | 'clock';
  /** For messages: the unique body to find in the history. */
  body?: string;
  disputeId?: string;
}

export class FaultLoad {
  url = '';
  readonly disputes: string[] = [];
  readonly acknowledged: Sent[] = [];
  readonly inDoubt: { sent: Sent; retry: () => Promise<Response> }[] = [];
  requests = 0;
  retried = 0;
  private up!: Promise<void>;
  private wakeUp!: () => void;
  private stopped = false;
  private readonly tokens: Record<Party | 'admin', string>;
  private workers: Promise<void>[] = [];

  constructor(keys: KeyRing) {
    const mint = (role: Parameters<typeof mintToken>[1]['role'], sub: string) => mintToken(keys, { role, sub }, 3600);
    this.tokens = {
      buyer: mint('buyer', parties.buyer.id),
      seller: mint('seller', parties.seller.id),
      agent: mint('agent', parties.agent.id),
      secondAgent: mint('agent', parties.secondAgent.id),
      system: mint('system', parties.system.id),
      admin: mint('admin', 'admin'),
    };
    this.down();
  }

  /** The service is gone: workers wait for the next `serving`. */
  down() {
    this.up = new Promise((resolve) => (this.wakeUp = resolve));
  }

  /** The service answers at `url`; requests in doubt are sent again first, with their keys. */
  async serving(url: string) {
    this.url = url;
    const again = this.inDoubt.splice(0);
    this.retried += again.length;
    for (const { sent, retry } of again) await this.settle(sent, retry);
    this.wakeUp();
  }

  start(workers: number) {
    this.workers = Array.from({ length: workers }, (_, i) => this.work(i));
  }

  async stop() {
    this.stopped = true;
    this.wakeUp();
    await Promise.all(this.workers);
  }

  private request(method: string, path: string, as: Party | 'admin', key: string, json: unknown) {
    return () =>
      fetch(`${this.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.tokens[as]}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(json),
        signal: AbortSignal.timeout(10_000),
      });
  }

  /** Sends once; 2xx acknowledges, a cut connection leaves it in doubt, anything else is a refusal. */
  private async settle(sent: Sent, send: () => Promise<Response>): Promise<unknown> {
    this.requests += 1;
    let response: Response;
    try {
      response = await send();
    } catch {
      this.inDoubt.push({ sent, retry: send });
      return undefined;
    }
    const body = (await response.json().catch(() => null)) as { id?: string } | null;
    if (response.ok) this.acknowledged.push({ ...sent, ...(sent.kind === 'open' && body?.id ? { disputeId: body.id } : {}) });
    return response.ok ? body : undefined;
  }

  private async work(worker: number) {
    for (let n = 0; !this.stopped; n += 1) {
      await this.up;
      if (this.stopped) return;
      const roll = Math.random();
      if (this.disputes.length < 4 || roll < 0.08) await this.open(`w${worker}-${n}-${randomUUID().slice(0, 6)}`);
      else if (roll < 0.5) await this.message();
      else if (roll < 0.97) await this.step();
      else
        await this.settle(
          { key: randomUUID(), kind: 'clock' },
          this.request('POST', '/admin/clock/advance', 'admin', randomUUID(), { by: `${1 + Math.floor(Math.random() * 96)}h` }),
        );
    }
  }

  /** The deployment's clock (the demo clock runs ahead of this machine's once moved). */
  private async now(): Promise<string | undefined> {
    try {
      const res = await fetch(`${this.url}/admin/clock`, { headers: { authorization: `Bearer ${this.tokens.admin}` }, signal: AbortSignal.timeout(10_000) });
      return res.ok ? ((await res.json()) as { now: string }).now : undefined;
    } catch {
      return undefined; // the service went away
    }
  }

  private async open(orderId: string) {
    const scenario = scenarios[Math.floor(Math.random() * 3)]!; // the three that open
    const now = await this.now();
    if (!now) return;
    const ids = { orderId, itemId: 'item-1', buyerId: parties.buyer.id, sellerId: parties.seller.id };
    const registered = await this.settle(
      { key: randomUUID(), kind: 'order' },
      this.request('PUT', `/orders/${orderId}`, 'system', randomUUID(), orderRegistration(scenario, now, ids)),
    );
    if (!registered) return;
    const key = randomUUID();
    const opened = (await this.settle(
      { key, kind: 'open' },
      this.request('POST', '/disputes', 'buyer', key, { orderId, itemId: 'item-1', ...scenario.request }),
    )) as { id?: string } | undefined;
    if (opened?.id) this.disputes.push(opened.id);
  }

  private pick() {
    return this.disputes[Math.floor(Math.random() * this.disputes.length)]!;
  }

  private async message() {
    const disputeId = this.pick();
    const key = randomUUID();
    const body = `m-${key}`;
    await this.settle(
      { key, kind: 'message', body, disputeId },
      this.request('POST', `/disputes/${disputeId}/events`, 'buyer', key, { type: 'message.send', body }),
    );
  }

  private async step() {
    const disputeId = this.pick();
    let view: { value: DisputeSnapshot['value']; context: DisputeSnapshot['context'] };
    try {
      const res = await fetch(`${this.url}/disputes/${disputeId}`, {
        headers: { authorization: `Bearer ${this.tokens.system}` },
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) return;
      view = (await res.json()) as typeof view;
    } catch {
      return; // the service went away while reading: nothing was sent
    }
    const now = await this.now();
    if (!now) return;
    const snapshot = disputeMachine.resolveState({ value: view.value, context: view.context });
    const input = modelInput(scenarios[0]!, view.context.policy, view.context.openedAt);
    const steps = nextSteps(input, { snapshot, now }).filter(
      (s) => s.recipe.kind === 'event' && s.event!.type !== 'evidence.add' && s.event!.type !== 'evidence.hide',
    );
    const chosen = steps[Math.floor(Math.random() * steps.length)];
    if (!chosen || chosen.recipe.kind !== 'event') return;
    const { at: _at, by: _by, ...event } = chosen.event!;
    const key = randomUUID();
    await this.settle({ key, kind: 'step', disputeId }, this.request('POST', `/disputes/${disputeId}/events`, chosen.recipe.party, key, event));
  }
}
