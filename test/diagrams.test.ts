import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createActor, createMachine, type AnyEventObject, type MachineConfig, type MachineContext } from 'xstate';
import { chartOf } from './support/chart-data.ts';
import { describeMachine, disputeMachine, parsePolicy } from '../machines/index.ts';
import { generatedFiles } from '../diagrams/generate.ts';
import { toMermaid } from '../diagrams/mermaid.ts';
import { renderSvg, toDot, transitionKey } from '../diagrams/graphviz.ts';

describe('diagrams', () => {
  it('the committed diagrams and the README copy match the machine (run npm run diagrams)', async () => {
    for (const [path, expected] of Object.entries(await generatedFiles())) {
      expect(readFileSync(path, 'utf8'), `${path} is stale: run npm run diagrams`).toBe(expected);
    }
  });

  it('the Mermaid chart names every state and every transition that moves the dispute', () => {
    const machine = describeMachine();
    const mermaid = toMermaid(machine);
    for (const state of machine.states.filter((s) => s.parent !== null)) expect(mermaid).toMatch(new RegExp(`\\b${state.key}\\b`));
    for (const t of machine.transitions.filter((t) => t.targets.length > 0)) expect(mermaid).toContain(t.event ?? 'always');
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
  });

  it('the Graphviz SVG has a cluster per compound state and a labelled edge per moving transition, guards and deadlines included', async () => {
    const machine = describeMachine();
    const svg = await renderSvg(toDot(machine));
    expect(svg).toContain('<svg');
    for (const compound of ['negotiating', 'escalated', 'resolving', 'resolving.payout.returnLeg']) expect(svg).toContain(`<title>cluster_${compound}</title>`);
    const moving = machine.transitions.filter((t) => t.targets.length > 0);
    // Each transition is drawn in two halves through its label, which Graphviz lays out as a node.
    const edges = svg.match(/<g id="edge\d+" class="edge">/g) ?? [];
    const initials = machine.states.filter((s) => s.initial !== null).length;
    const moves = moving.reduce((n, t) => n + t.targets.length, 0);
    expect(edges.length).toBe(2 * moves + initials);
    expect(svg.match(/<g id="transition:\d+" class="node/g)?.length).toBe(moves);
    expect(svg).toContain('Offer a partial refund'); // the event's label, from the catalogue
    expect(svg).toContain('Waiting for an agent'); // the state's label, its id beneath
    expect(svg).toContain('if the offer is valid'); // the guard counterOfferIsValid, in words
    expect(svg).toContain('after 5 days (R&#45;NEG&#45;1)'); // the default policy's number; Graphviz escapes hyphens
    expect(svg).not.toContain('sellerResponseDays');
    // Under another policy, its own numbers.
    const longer = await renderSvg(toDot(describeMachine(parsePolicy({ negotiation: { sellerResponseDays: 9 } }))));
    expect(longer).toContain('after 9 days (R&#45;NEG&#45;1)');
  });

  it('a dispute’s diagram marks where it stands in text as well as colour', async () => {
    const machine = describeMachine();
    const taken = machine.transitions.find((t) => t.event === 'seller.counterOffer' && t.source === 'negotiating.awaitingSellerResponse')!;
    const dot = toDot(machine, {
      active: new Set(['negotiating', 'negotiating.offerPending']),
      visited: new Set(['negotiating.awaitingSellerResponse']),
      taken: new Set([transitionKey(taken)]),
    });
    expect(dot).toMatch(
      /"negotiating\.offerPending" \[id="state:negotiating\.offerPending", class="active", label=<.*offerPending · seller-responded.*<b>▶ now<\/b>>/,
    );
    expect(dot).toMatch(
      /"negotiating\.awaitingSellerResponse" \[id="state:negotiating\.awaitingSellerResponse", class="visited", label=<.*deadline: sellerResponse.*<b>✓ visited<\/b>>/,
    );
    expect(dot).toMatch(/\[id="transition:\d+", class="taken", [^\n]*seller\.counterOffer<br\/>if the offer is valid>\]/);
  });
});

describe('the Stately editor export (diagrams/dispute.stately.js)', () => {
  it('is one createMachine() call that xstate builds into the same chart, naming only the chart’s own guards and actions', () => {
    const code = readFileSync('diagrams/dispute.stately.js', 'utf8');
    const configs: MachineConfig<MachineContext, AnyEventObject>[] = [];
    new Function('createMachine', code)((config: (typeof configs)[number]) => configs.push(config)); // the file run as written
    expect(configs).toHaveLength(1);
    const real = chartOf(disputeMachine);
    expect(chartOf(createMachine(configs[0]!))).toEqual(real);
    expect(real.transitions.length).toBeGreaterThan(50);

    // Each name is one of the chart's implementations (a composite guard names several): stubs by those names run it.
    const { guards, actions } = disputeMachine.implementations;
    const guardNames = new Set(real.transitions.flatMap((t) => (t.guard ? [t.guard.replace(/\(\{.*\}\)$/, '')] : [])));
    const parts = [...guardNames].flatMap((g) => g.split(/ && | \|\| /).map((part) => part.replace(/^[!(]+|\)+$/g, '')));
    expect(parts.filter((part) => !(part in guards))).toEqual([]);
    const actionNames = [...real.states.flatMap((s) => [...s.entry, ...s.exit]), ...real.transitions.flatMap((t) => t.actions)];
    expect(actionNames.map((a) => a.replace(/\(.*\)$/, '')).filter((a) => !(a in actions))).toEqual([]);
    const stubs = <T>(names: Iterable<string>, stub: T) => Object.fromEntries([...names].map((name) => [name, stub]));
    const runnable = createMachine(configs[0]!).provide({ guards: stubs(guardNames, () => true), actions: stubs(Object.keys(actions), () => {}) });
    expect(createActor(runnable).start().getSnapshot().value).toEqual({ negotiating: 'awaitingSellerResponse' });
  });
});
