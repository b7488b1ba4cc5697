/**
 * The one representation of a dispute every answer carries, as a zod schema (the OpenAPI
 * document reads it) and the function that renders it: state in words and as value, stage, who
 * must act, version, amounts, deadlines, context, and what the viewer may send now.
 */
import { z } from 'zod';
import {
  activeRegions,
  availableEvents,
  awaitedParties,
  deadlineDefinitions,
  disputeMachine,
  ifNobodyActs,
  disputeMachineVersion,
  stages,
  standingOf,
  stateDescription,
  termsOnTheTable,
  toMillis,
  policyRuleIds,
  type Actor,
  type DeadlineName,
} from '../../machines/index.ts';
import type { Loaded } from '../runtime/step.ts';

/** An amount of the dispute's money: at most what was paid for the item (R-FUND-1, R-REF-4). */
const amount = z.number().int().min(0).meta({ 'x-money': 'minor-units', 'x-money-bound': 'paid' });
const Funds = z.object({ currency: z.string(), paid: amount, held: amount, refunded: amount, released: amount });

const Region = z.object({
  path: z.string(),
  label: z.string(),
  description: z.string().nullable(),
  region: z.object({ path: z.string(), label: z.string() }).nullable().meta({ description: 'The parallel region it runs in, if any' }),
});

const Terms = z
  .object({
    kind: z.enum(['partial_refund', 'reshipment', 'proposal', 'automatic_offer']),
    by: z.string(),
    at: z.string().nullable(),
    note: z.string().nullable(),
    refund: amount.meta({ description: 'What taking it refunds in all, minor units' }),
    returnRequired: z.boolean(),
    returnShippingPaidBy: z.enum(['buyer', 'seller']),
  })
  .nullable();

export const DisputeViewSchema = z
  .object({
    id: z.string(),
    label: z.string().meta({ description: 'Where the dispute stands, in words' }),
    orderId: z.string(),
    itemId: z.string(),
    buyerId: z.string(),
    sellerId: z.string(),
    state: z.string().meta({ description: 'Dotted label of the active states (parallel ones joined by " + ")' }),
    stage: z
      .enum(stages)
      .meta({ description: 'The lifecycle stage: opened, negotiating, seller-responded, escalated, decided, appealed, refunding, refunded, closed' }),
    awaiting: z
      .array(z.enum(awaitedParties))
      .meta({ description: 'Who must act for the dispute to move on (system: a deadline, the payment provider or a carrier)' }),
    needsAttention: z.boolean().meta({ description: 'A person must look at it (e.g. a refund failed on both destinations)' }),
    overdue: z.boolean().meta({ description: 'A decision or a refund is past its due time (R-ESC-1, R-REF-3)' }),
    decisionDueAt: z.string().nullable().meta({ description: 'When the awaited agent decision is due' }),
    value: z.unknown().meta({ description: 'The XState state value' }),
    ended: z.boolean(),
    version: z.number().int().min(1).meta({ description: 'Send it back in If-Match' }),
    machine: z.object({ id: z.string(), version: z.number().int().min(1) }),
    regions: z.array(Region).meta({ description: 'Where it stands in words, one entry per active state; a parallel state as its regions' }),
    amounts: Funds.meta({ description: 'paid = held + refunded + released, in minor units' }),
    refund: z
      .object({
        requested: amount.meta({ description: 'What the buyer asked for in all (R-OPEN-7)' }),
        agreed: amount.nullable().meta({ description: 'What the agreement or decision refunds in all, once there is one' }),
        inProgress: amount.meta({ description: 'Refunds sent to the payment provider and not yet settled' }),
      })
      .meta({ description: 'The refund from request to settlement, in minor units' }),
    deadlines: z.array(
      z.object({
        name: z.string(),
        label: z.string(),
        event: z.string(),
        dueAt: z.string(),
        rule: z.enum(policyRuleIds),
        length: z.string(),
        effect: z.string(),
      }),
    ),
    onTheTable: z
      .object({ offer: Terms, proposal: Terms, automaticOffer: Terms })
      .meta({ description: 'What the parties may accept now, and what taking it means' }),
    ifNobodyActs: z
      .object({
        steps: z.array(
          z.object({
            deadline: z.string(),
            label: z.string(),
            rule: z.enum(policyRuleIds),
            dueAt: z.string(),
            length: z.string(),
            effect: z.string(),
            armedNow: z.boolean(),
            then: z.array(Region),
          }),
        ),
        thenAwaiting: z.array(z.enum(awaitedParties)),
        ended: z.boolean(),
      })
      .meta({ description: 'The armed deadlines fired in order on a copy of the dispute: each date, rule and automatic outcome' }),
    next: z
      .array(z.object({ type: z.string(), label: z.string(), description: z.string(), schema: z.record(z.string(), z.unknown()) }))
      .meta({ description: 'Events the caller may send now, with payload schemas carrying this dispute’s limits' }),
    context: z
      .record(z.string(), z.unknown())
      .meta({ description: 'Everything the dispute records: amounts requested, offered, decided; who did what; the frozen policy and order facts' }),
    openedAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Dispute' });

export type DisputeView = Omit<z.output<typeof DisputeViewSchema>, 'context' | 'value'> & {
  context: Loaded['snapshot']['context'];
  value: Loaded['snapshot']['value'];
};

/**
 * Renders a dispute for a viewer at `now`: `next` lists what that viewer may send then (empty
 * without a viewer, for readers that may send nothing).
 */
export function renderView(dispute: Loaded, viewer: Actor | null, now: string): DisputeView {
  const { snapshot } = dispute;
  const standing = standingOf(snapshot);
  const c = snapshot.context;
  const deadlines = Object.entries(c.deadlines)
    .flatMap(([name, d]) => {
      const definition = deadlineDefinitions[name as DeadlineName];
      return d
        ? [{ name, label: definition.label, event: d.event, dueAt: d.dueAt, rule: definition.rule, length: definition.lengthIn(c), effect: definition.effect }]
        : [];
    })
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const inProgress = c.refunds.filter((r) => r.status === 'requested').reduce((sum, r) => sum + r.amount, 0);
  return {
    id: dispute.id,
    label: stateDescription(snapshot),
    orderId: dispute.orderId,
    itemId: dispute.itemId,
    buyerId: dispute.buyerId,
    sellerId: dispute.sellerId,
    state: standing.state,
    stage: standing.stage,
    awaiting: standing.awaiting,
    needsAttention: standing.needsAttention,
    overdue: standing.overdueAt !== null && toMillis(standing.overdueAt) <= toMillis(now),
    decisionDueAt: standing.decisionDueAt,
    value: snapshot.value,
    ended: standing.ended,
    version: dispute.version,
    machine: { id: disputeMachine.id, version: disputeMachineVersion },
    regions: activeRegions(snapshot),
    amounts: c.funds,
    refund: { requested: c.request.total, agreed: c.resolution?.refund ?? null, inProgress },
    deadlines,
    onTheTable: termsOnTheTable(snapshot),
    ifNobodyActs: ifNobodyActs(snapshot),
    next: viewer ? availableEvents(snapshot, viewer, now) : [],
    context: snapshot.context,
    openedAt: dispute.openedAt,
    updatedAt: dispute.updatedAt,
  };
}
