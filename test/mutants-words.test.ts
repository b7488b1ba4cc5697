/**
 * Survivors of the mutation run on the machine described for people (machines/describe.ts,
 * guard-words.ts, policy-words.ts) and the portable chart Stately's tools import
 * (portable-config.ts), killed: guards named and read as conditions, whatever their shape; the
 * policy's settings in words; the portable config is the chart itself.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { and, createMachine, not, or, stateIn } from 'xstate';
import { chartOf } from './support/chart-data.ts';
import { defaultPolicy, disputeMachine, guardName, parsePolicy, portableConfig } from '../machines/index.ts';
import type { DisputeContext } from '../machines/context.ts';
import { deadlineDefinitions } from '../machines/deadlines.ts';
import { guardWords } from '../machines/guard-words.ts';
import { policySettings, settingsNamed } from '../machines/policy-words.ts';

describe('a guard by name (guardName, for the diagrams and GET /machines/dispute)', () => {
  it('names a plain, a parametrized and a missing guard', () => {
    expect(guardName(undefined)).toBeNull();
    expect(guardName(null)).toBeNull();
    expect(guardName('counterOfferIsValid')).toBe('counterOfferIsValid');
    expect(guardName({ type: 'deadlineIsDue', params: { name: 'sellerResponse' } })).toBe('deadlineIsDue(sellerResponse)');
    expect(guardName({ type: 'deadlineIsDue', params: {} })).toBe('deadlineIsDue');
    expect(guardName({ type: 'decisionIsValid' })).toBe('decisionIsValid');
  });

  it('names a function guard by its own name, an anonymous one or anything else "inline"', () => {
    expect(guardName(function sellerIsKnown() {})).toBe('sellerIsKnown');
    expect(guardName([() => true][0])).toBe('inline');
    expect(guardName(42)).toBe('inline');
    expect(guardName({ name: 'no type' })).toBe('inline');
  });

  it('reads a composite guard from its parts: and, or, not, and in(state)', () => {
    expect(guardName(and(['isAssignedAgent', 'decisionIsValid']))).toBe('isAssignedAgent && decisionIsValid');
    expect(guardName(or(['isAssignedAgent', 'isDifferentAgent']))).toBe('isAssignedAgent || isDifferentAgent');
    expect(guardName(not('decisionIsFinal'))).toBe('!decisionIsFinal');
    expect(guardName(stateIn('#dispute.escalated'))).toBe('in(#dispute.escalated)');
    expect(guardName(stateIn({ escalated: 'underReview' }))).toBe('stateIn'); // a state value that is not one path
    expect(guardName(and([{ type: 'deadlineIsDue', params: { name: 'appealWindow' } }, 'mayAppeal']))).toBe('deadlineIsDue(appealWindow) && mayAppeal');
    const sellerIsKnown = () => true;
    expect(guardName(and([sellerIsKnown, 'mayAppeal']))).toBe('sellerIsKnown && mayAppeal'); // a plain function part needs no parentheses
  });

  it('keeps the grouping of nested composites; `not` binds tighter and needs none', () => {
    expect(guardName(and(['isAssignedAgent', or(['decisionIsValid', 'decisionIsFinal'])]))).toBe('isAssignedAgent && (decisionIsValid || decisionIsFinal)');
    expect(guardName(or([and(['a', 'b']), 'c']))).toBe('(a && b) || c');
    expect(guardName(or([not('a'), 'b']))).toBe('!a || b');
    expect(guardName(not(and(['a', 'b'])))).toBe('!(a && b)');
    expect(guardName(and([not(or(['a', 'b'])), 'c']))).toBe('!(a || b) && c');
  });
});

describe('a guard as a condition in words (guardWords, beside each transition)', () => {
  it('reads no guard as none, a known guard in its words, a parametrized one without its parameter', () => {
    expect(guardWords(null)).toBeNull();
    expect(guardWords('counterOfferIsValid')).toBe('if the offer is valid');
    expect(guardWords('deadlineIsDue(sellerResponse)')).toBe('if at its due time');
    expect(guardWords('itemWasMissing')).toBe('if the dispute was about an item that never arrived');
  });

  it('spells out a guard it has no words for from its name', () => {
    expect(guardWords('buyerIsPolite')).toBe('if buyer is polite');
    expect(guardWords('inline')).toBe('if inline');
  });

  it('joins the parts of a composite with and / or, a negated part with "not:"', () => {
    expect(guardWords('isAssignedAgent && decisionIsValid')).toBe('if sent by the assigned agent and the decision is valid');
    expect(guardWords('isAssignedAgent || isDifferentAgent')).toBe('if sent by the assigned agent or sent by another agent');
    expect(guardWords('!decisionIsFinal')).toBe('if not: the decision is final');
    expect(guardWords('mayAppeal && !decisionIsFinal')).toBe('if the sender may appeal and not: the decision is final');
  });

  it('keeps the grouping of nested composites (a && (b || c) is not "a or b or c")', () => {
    expect(guardWords('isAssignedAgent && (decisionIsValid || decisionIsFinal)')).toBe(
      'if sent by the assigned agent and (the decision is valid or the decision is final)',
    );
    expect(guardWords('((mayAppeal && appealPossible) || decisionIsFinal) && refundOutstanding')).toBe(
      'if ((the sender may appeal and an appeal is still possible) or the decision is final) and a refund is still owed',
    );
    expect(guardWords('!(isAssignedAgent && deadlineIsDue(decisionDue))')).toBe('if not: (sent by the assigned agent and at its due time)');
  });
});

/** The portable config of a stand-in chart's config. */
const portableWith = (config: Record<string, unknown>) => portableConfig({ config, id: String(config.id) });

describe('the portable config (what Stately’s editor imports and its inspector draws)', () => {
  it('builds, with xstate, into the dispute chart itself: its states, meta, tags, guards and actions by name', () => {
    const portable = portableConfig();
    const built = chartOf(createMachine(portable as Parameters<typeof createMachine>[0]));
    expect(built).toEqual(chartOf(disputeMachine));
    expect(built.transitions.length).toBeGreaterThan(50);
  });

  it('keeps data as it is, names guards and actions, and leaves out the computed context and parameters', () => {
    const portable = portableConfig();
    expect(portable).not.toHaveProperty('context');
    expect(portable.initial).toBe('opened');
    expect(portable.states.opened).toEqual({
      description: 'The buyer asked to open a dispute; the opening rules (R-OPEN-*) decide whether it runs',
      meta: { label: 'Opening' },
      tags: ['opened', 'awaits:system'],
      always: [{ guard: 'openingIsEligible', target: 'negotiating' }, { target: 'refused' }],
    });
    const escalatedStates = (portable.states.escalated as { states: Record<string, { on: Record<string, unknown> }> }).states;
    expect(escalatedStates.underReview!.on['agent.decide']).toMatchObject({ guard: 'isAssignedAgent && decisionIsValid' });
    const text = JSON.stringify(portable);
    expect(text).toContain('{"type":"deadlineIsDue","params":{"name":"sellerResponse"}}'); // a parameter that is data stays
    expect(text).toContain('{"type":"requestRefund"}'); // its parameters are computed from the context: the name alone
  });

  it('turns a stand-in chart into plain data: numbers, booleans and null kept, functions named, undefined dropped', () => {
    const config = {
      id: 'stand-in',
      initial: 'a',
      context: () => ({ count: 0 }),
      states: {
        a: {
          meta: { weight: 2, shown: true, none: null, gone: undefined },
          tags: ['first', undefined],
          entry: [function greet() {}, { type: 'tell', params: () => ({ to: 'buyer' }) }],
          on: { go: { guard: and(['ready', not('busy')]), target: 'b' } },
        },
        b: { type: 'final' },
      },
    };
    expect(portableWith(config)).toEqual({
      id: 'stand-in',
      initial: 'a',
      states: {
        a: {
          meta: { weight: 2, shown: true, none: null },
          tags: ['first', null],
          entry: ['greet', { type: 'tell' }],
          on: { go: { guard: 'ready && !busy', target: 'b' } },
        },
        b: { type: 'final' },
      },
    });
  });

  it('refuses an unnamed function or a value JSON has no place for, naming where it is', () => {
    const withEntry = (entry: unknown) => ({ id: 'stand-in', initial: 'a', states: { a: { entry: [entry] } } });
    expect(() => portableWith(withEntry([() => {}][0]))).toThrow(
      "stand-in.states.a.entry[0] is an unnamed function: name it in the chart's setup() so the chart stays portable",
    );
    expect(() => portableWith({ id: 'stand-in', states: { a: { meta: { size: 10n } } } })).toThrow(
      'stand-in.states.a.meta.size holds a bigint, which has no place in a portable chart',
    );
    expect(() => portableWith({ id: 'stand-in', states: { a: { meta: { mark: Symbol('x') } } } })).toThrow('stand-in.states.a.meta.mark holds a symbol');
  });
});

describe('policy settings in words (policy-words.ts)', () => {
  // A fresh instance of policy-words for each test (a query makes a module of its own, its
  // dependencies shared): it builds its pattern of the settings once per instance, so each test
  // runs that code. vi.resetModules() would reload the policy too, and the mutation run would then
  // judge the policy's import-time code by these tests alone.
  let inWords: typeof import('../machines/policy-words.ts').inWords;
  let fresh = 0;
  beforeEach(async () => {
    fresh += 1;
    ({ inWords } = (await import(
      /* @vite-ignore */ new URL(`../machines/policy-words.ts?instance=${fresh}`, import.meta.url).href
    )) as typeof import('../machines/policy-words.ts'));
  });

  it('the settings are the policy’s leaves in the schema’s order; a list and a record keyed by currency count as one', () => {
    expect(policySettings()).toEqual([
      ...['opening.notReceivedWaitDays', 'opening.applyShippingWaitToAllReasons', 'opening.protectionDays'],
      ...['negotiation.sellerResponseDays', 'negotiation.maxDays', 'negotiation.buyerEscalationWaitDays'],
      ...['negotiation.automaticOffer.thresholds', 'negotiation.automaticOffer.percent'],
      ...['escalation.decisionDays', 'escalation.partialRefundBand.minPercent', 'escalation.partialRefundBand.maxPercent', 'escalation.evidenceRequestDays'],
      ...['appeal.windowDays', 'appeal.maxAppeals', 'appeal.appellants'],
      ...['returns.shipBackDays', 'returns.sellerConfirmationDays', 'returns.deliveryDays'],
      ...['evidence.imageMaxBytes', 'evidence.videoMaxBytes'],
      ...['card', 'paypal', 'alipay', 'bank_transfer'].flatMap((m) => [`settlement.${m}.minBusinessDays`, `settlement.${m}.maxBusinessDays`]),
    ]);
    const noThresholds = parsePolicy({ negotiation: { automaticOffer: { thresholds: {} } } });
    expect(policySettings(noThresholds)).toEqual(policySettings()); // an empty record is still the one setting
    expect(inWords('under negotiation.automaticOffer.thresholds', noThresholds)).toBe('under {}');
  });

  it('R-NEG-1, R-APL-1, R-OPEN-1: a day count reads as days, one day as "1 day", a unit after it not repeated', () => {
    const text = 'from negotiation.sellerResponseDays to negotiation.maxDays days, after opening.notReceivedWaitDays';
    expect(inWords(text, defaultPolicy)).toBe('from 5 days to 15 days, after 11 days');
    expect(inWords('wait negotiation.buyerEscalationWaitDays days', defaultPolicy)).toBe('wait 0 days');
    expect(inWords('within appeal.windowDays days', parsePolicy({ appeal: { windowDays: 1 } }))).toBe('within 1 day');
  });

  it('R-REF-2: business days read as business days, one as "1 business day"', () => {
    expect(inWords('settlement.alipay.maxBusinessDays', defaultPolicy)).toBe('5 business days');
    expect(inWords('settlement.bank_transfer.minBusinessDays business days', defaultPolicy)).toBe('1 business day');
    expect(inWords('settlement.card.minBusinessDays days', defaultPolicy)).toBe('3 business days');
  });

  it('R-REF-2: a dispute’s refund window is its payment method’s; without one, the range over all methods', () => {
    const text = 'settles within settlement[payment method].maxBusinessDays business days';
    expect(inWords(text, defaultPolicy, 'card')).toBe('settles within 20 business days');
    expect(inWords('settlement[payment method].maxBusinessDays', defaultPolicy, 'alipay')).toBe('5 business days');
    expect(inWords(text, defaultPolicy)).toBe('settles within 5 to 20 business days (by payment method)');
    const window = (days: number) => ({ minBusinessDays: 1, maxBusinessDays: days });
    const even = parsePolicy({ settlement: { card: window(10), paypal: window(10), alipay: window(10), bank_transfer: window(10) } });
    expect(inWords(text, even)).toBe('settles within 10 business days');
    const oneDay = parsePolicy({ settlement: { card: window(1), paypal: window(1), alipay: window(1), bank_transfer: window(1) } });
    expect(inWords(text, oneDay)).toBe('settles within 1 business day');
    expect(inWords(text, oneDay, 'card')).toBe('settles within 1 business day');
  });

  it('R-APL-1, R-NEG-7, R-OPEN-1: a list reads as its choices, a record as data, a number or a switch as itself; a unit after them stays', () => {
    expect(inWords('appeal.appellants may appeal', defaultPolicy)).toBe('buyer may appeal');
    expect(inWords('appeal.appellants may appeal', parsePolicy({ appeal: { appellants: ['buyer', 'seller'] } }))).toBe('buyer or seller may appeal');
    expect(inWords('items under negotiation.automaticOffer.thresholds', defaultPolicy)).toBe('items under {"USD":500}');
    expect(inWords('every reason waits: opening.applyShippingWaitToAllReasons', defaultPolicy)).toBe('every reason waits: false');
    expect(inWords('negotiation.automaticOffer.percent % of the price', defaultPolicy)).toBe('50 % of the price');
    expect(inWords('appeal.maxAppeals days', defaultPolicy)).toBe('1 days'); // not a day count: the words after it are the text's own
  });

  it('replaces a setting only as a whole name, its dots meaning dots', () => {
    for (const text of ['appeal.windowDaysLater', 'theappeal.windowDays', 'appealXwindowDays']) expect(inWords(text, defaultPolicy)).toBe(text);
    expect(settingsNamed('appeal.windowDaysLater or appealXwindowDays')).toEqual([]);
  });

  it('names the settings a text reads, for developers', () => {
    expect(settingsNamed('within appeal.windowDays, then settlement[payment method].maxBusinessDays')).toEqual([
      'appeal.windowDays',
      'settlement[payment method].maxBusinessDays',
    ]);
    expect(settingsNamed('negotiation.maxDays or negotiation.sellerResponseDays')).toEqual(['negotiation.sellerResponseDays', 'negotiation.maxDays']);
    expect(settingsNamed('no numbers here')).toEqual([]);
  });
});

describe('a deadline’s length in words (the forecast)', () => {
  it('R-REF-3: a one-business-day settlement window reads "1 business day", longer ones in business days', () => {
    const lengthFor = (maxBusinessDays: number) =>
      deadlineDefinitions.refundOverdue.lengthIn({
        policy: parsePolicy({ settlement: { card: { minBusinessDays: 1, maxBusinessDays } } }),
        order: { paymentMethod: 'card' },
      } as DisputeContext);
    expect(lengthFor(1)).toBe('1 business day');
    expect(lengthFor(20)).toBe('20 business days');
  });
});
