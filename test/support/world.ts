/**
 * The property tests' world: a real service on a real SQLite file, two disputes opened from the
 * generator's scenarios (one in euros), under one of the policies the seeds allow, and commands a
 * property sends them: the next step of a journey through the chart (a path of the covering set),
 * a step a client can take now (coverage-guided), an arbitrary event from an arbitrary party
 * (mostly invalid), a clock jump, a restart. After each command the invariants are checked on
 * both disputes (`world-checks.ts`); a rejected event must change nothing, an ended dispute take
 * nothing that changes money.
 */
import { expect } from 'vitest';
import { eventTypes, type Actor, type DisputeSnapshot, type EventType, type PolicyOverrides } from '../../machines/index.ts';
import { essence } from '../../server/testing/explore.ts';
import { apply, nextSteps, type Applied } from '../../server/testing/model.ts';
import { generatePaths } from '../../server/testing/paths.ts';
import { parties, partyNames, samplePayloads } from '../../server/testing/samples.ts';
import { modelInput, orderRegistration, scenarios } from '../../server/testing/scenarios.ts';
import { load, type Loaded } from '../../server/runtime/step.ts';
import type { Service } from '../../server/service.ts';
import { startTestService, tempDir } from './service.ts';
import { checkDispute } from './world-checks.ts';

export type Command =
  | { kind: 'journey'; dispute: number; path: number; steps: number }
  | { kind: 'step'; dispute: number; pick: number }
  | { kind: 'event'; dispute: number; party: number; type: number; variant: number }
  | { kind: 'clock'; hours: number }
  | { kind: 'restart' };

/** The policies a world may run: the documented defaults and the seeds' alternatives. */
export const policies: PolicyOverrides[] = [
  {},
  { appeal: { maxAppeals: 0 } },
  { appeal: { appellants: ['buyer', 'seller'] } },
  { negotiation: { sellerResponseDays: 15, buyerEscalationWaitDays: 10 } },
];

let journeys: ReturnType<typeof generatePaths>['paths'] | undefined;

/** Payloads that are wrong in one way each (or, variant 0, the sample that may well apply). */
function payloadFor(snapshot: DisputeSnapshot, type: EventType, variant: number): Record<string, unknown> {
  const sample = samplePayloads(snapshot, type, 'buyer')[0] ?? {};
  const wrong = [{}, { amount: 1_000_000_000 }, { amount: -5 }, { reason: '   ', refundId: 'someone-else:refund:1' }, { surprise: true }];
  return variant % 6 === 0 ? sample : { ...(variant % 6 === 1 ? {} : sample), ...wrong[(variant % 6) - 1] };
}

export class World {
  service!: Service;
  readonly ids: string[] = [];
  /** The snapshot each dispute had after its last committed step, as the runtime returned it. */
  readonly acknowledged = new Map<string, DisputeSnapshot>();
  readonly log: string[] = [];
  /** The transitions this run's steps took and the abstract states it reached: what guides it (a run replays alike). */
  private readonly taken = new Set<string>();
  private readonly seen = new Set<string>();
  /** Each dispute's journey: a covering path of its scenario, and how far along it is. */
  private readonly journey = new Map<string, { recipes: Applied['recipe'][]; next: number }>();
  private policy: PolicyOverrides = {};
  private readonly tmp = tempDir('arbiter-properties-');

  /** A service on the world's file; every commit it makes (deadlines fired too) is acknowledged. */
  private async boot() {
    // Restarts here are clean stops, so a commit need not survive a power cut: no fsync per step.
    this.service = await startTestService(this.tmp.dbPath, { policyOverrides: this.policy, durability: 'normal' });
    await this.service.scheduler.stop(); // the commands move time; the scheduler fires when told
    this.service.runtime.subscribe(({ disputeId, dispute }) => this.acknowledged.set(disputeId, dispute.snapshot));
  }

  async start(scenarioPicks: number[], policy = 0) {
    journeys ??= generatePaths({ openedAt: '2030-01-07T10:00:00.000Z' }).paths;
    this.policy = policies[policy % policies.length]!;
    await this.boot();
    const openable = scenarios.filter((s) => s.name !== 'opened-too-early');
    for (const [i, pick] of scenarioPicks.entries()) {
      const scenario = openable[pick % openable.length]!;
      const now = this.service.clock.now();
      const orderId = `order-${i}`;
      // The second dispute's order is in euros: money must move in the order's currency.
      const order = orderRegistration(scenario, now, { orderId, itemId: 'item-1', buyerId: 'buyer', sellerId: 'seller' });
      await this.service.store.registerOrder({ orderId, ...order, currency: i === 1 ? 'EUR' : order.currency }, now);
      const opened = await this.service.runtime.open(orderId, 'item-1', scenario.request, parties.buyer);
      if (!opened.ok) throw new Error(JSON.stringify(opened.error));
      this.ids.push(opened.dispute.id);
      this.log.push(`open ${scenario.name}`);
    }
    await this.check();
  }

  async stop() {
    await this.service.stop();
    this.tmp.cleanup();
  }

  private async stored(id: string): Promise<Loaded> {
    const record = await this.service.store.getDispute(id);
    if (!record) throw new Error(`dispute ${id} vanished`);
    return load(record); // from the row, never from the runtime's cache
  }

  private async rows(id: string) {
    const { store } = this.service;
    return JSON.stringify([await store.getDispute(id), await store.getHistory(id), await store.getDeadlines(id), await store.getOutbox(id)]);
  }

  async run(command: Command) {
    if (command.kind === 'restart') {
      await this.service.stop();
      await this.boot();
      this.log.push('restart');
    } else if (command.kind === 'clock') {
      await this.moveClock(command.hours * 3_600_000);
    } else if (command.kind === 'journey') {
      for (let i = 0; i < command.steps; i += 1) {
        await this.travel(command);
        await this.check();
      }
    } else {
      await this.send(command);
    }
    await this.check();
  }

  private async moveClock(ms: number) {
    await this.service.controllableClock!.advance(ms);
    await this.service.scheduler.tick();
    this.log.push(`clock +${(ms / 3_600_000).toFixed(1)}h`);
  }

  /** The next step of the dispute's journey that still applies: an event, or the clock a deadline needs. */
  private async travel(command: Extract<Command, { kind: 'journey' }>) {
    const id = this.ids[command.dispute % this.ids.length]!;
    const { snapshot } = await this.stored(id);
    const mine = journeys!.filter((p) => p.scenario.name === scenarioOf(snapshot));
    const journey = this.journey.get(id) ?? { recipes: mine[command.path % mine.length]?.recipes ?? [], next: 0 };
    this.journey.set(id, journey);
    const input = modelInput(scenarios[0]!, snapshot.context.policy, snapshot.context.openedAt);
    for (; journey.next < journey.recipes.length; journey.next += 1) {
      const applied = apply(input, { snapshot, now: this.service.clock.now() }, journey.recipes[journey.next]!, { clockWhileRefundPending: true });
      if (!applied) continue; // the dispute went elsewhere meanwhile: try the step after
      journey.next += 1;
      if (applied.event) return this.send({ kind: 'step', dispute: command.dispute, pick: 0 }, applied);
      return this.moveClock(Date.parse(applied.after.now) - Date.parse(this.service.clock.now()) + 1000);
    }
    this.log.push(`${id.slice(-4)}: journey over`);
  }

  private async send(command: Extract<Command, { kind: 'step' | 'event' }>, planned?: Applied) {
    const id = this.ids[command.dispute % this.ids.length]!;
    const before = await this.stored(id);
    let chosen = planned;
    let by: Actor;
    let body: Record<string, unknown>;
    if (command.kind === 'step') {
      chosen ??= this.choose(before.snapshot, command.pick);
      if (!chosen) return void this.log.push(`${id.slice(-4)}: no step`);
      const { at: _at, by: sender, ...event } = chosen.event!;
      [by, body] = [sender, event];
    } else {
      const type = eventTypes[command.type % eventTypes.length]!;
      by = parties[partyNames[command.party % partyNames.length]!];
      body = { type, ...payloadFor(before.snapshot, type, command.variant) };
    }
    const rowsBefore = await this.rows(id);
    const result = await this.service.runtime.send(id, body, by);
    this.log.push(`${id.slice(-4)}: ${by.role} ${String(body.type)} ${JSON.stringify(body).slice(0, 80)} -> ${result.ok ? 'ok' : result.error.kind}`);
    if (command.kind === 'step') expect(result.ok, `a step the model offers is taken: ${JSON.stringify(result.ok ? '' : result.error)}`).toBe(true);
    if (!result.ok) {
      expect(await this.rows(id), 'a rejected event changes nothing').toBe(rowsBefore);
      return;
    }
    chosen?.transitions.forEach((t) => this.taken.add(t));
    this.seen.add(essence({ snapshot: result.dispute.snapshot, now: this.service.clock.now() }));
    if (before.snapshot.hasTag('ended')) {
      expect(result.dispute.snapshot.context.funds, 'an ended dispute takes nothing that changes money').toEqual(before.snapshot.context.funds);
    }
  }

  /**
   * Coverage-guided: mostly a step that takes a transition this run has not taken, else one into an
   * abstract state it has not seen, else one that moves the dispute on; once in four, any step.
   */
  private choose(snapshot: DisputeSnapshot, pick: number): Applied | undefined {
    const input = modelInput(scenarios[0]!, snapshot.context.policy, snapshot.context.openedAt);
    const steps = nextSteps(input, { snapshot, now: this.service.clock.now() }).filter((s) => s.recipe.kind === 'event');
    const living = (list: Applied[]) => (list.some((s) => !s.after.snapshot.hasTag('ended')) ? list.filter((s) => !s.after.snapshot.hasTag('ended')) : list);
    const moving = steps.filter((s) => JSON.stringify(s.after.snapshot.value) !== JSON.stringify(snapshot.value));
    const untaken = living(steps.filter((s) => s.transitions.some((t) => !this.taken.has(t))));
    const fresh = living(moving.filter((s) => !this.seen.has(essence(s.after))));
    const pool = pick % 4 === 0 ? steps : ([untaken, fresh, moving].find((list) => list.length > 0) ?? steps);
    return pool[pick % Math.max(1, pool.length)];
  }

  async check() {
    for (const id of this.ids) await checkDispute(this.service.store, id, this.policy, this.acknowledged.get(id), this.log);
  }
}

/** Which scenario a dispute was opened from, by its request's type and its price. */
function scenarioOf(snapshot: DisputeSnapshot): string {
  const c = snapshot.context;
  return scenarios.find((s) => s.request.type === c.request.type && s.order.price === c.order.price && s.request.reason === c.request.reason)?.name ?? '';
}
