/**
 * The one representation of a dispute every answer carries, as a zod schema (the OpenAPI
 * document reads it) and the function that renders it: state in words and as value, stage, who
 * must act, version, amounts, deadlines, context, and what the viewer may send now.
 */
import { z } from 'zod';
import {
  availableEvents,
  awaitedParties,
  deadlineDefinitions,
  disputeMachine,
  disputeMachineVersion,
  stages,
  standingOf,
  stateDescription,
  toMillis,
  type Actor,
  type DeadlineName,
} from '../../machines/index.ts';
import type { Loaded } from '../runtime/step.ts';

const Funds = z.object({ currency: z.string(), paid: z.number().int(), held: z.number().int(), refunded: z.number().int(), released: z.number().int() });

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
    version: z.number().int().meta({ description: 'Send it back in If-Match' }),
    machine: z.object({ id: z.string(), version: z.number().int() }),
    amounts: Funds.meta({ description: 'paid = held + refunded + released, in minor units' }),
    deadlines: z.array(z.object({ name: z.string(), event: z.string(), dueAt: z.string(), rule: z.string() })),
    next: z
      .array(z.object({ type: z.string(), description: z.string(), schema: z.record(z.string(), z.unknown()) }))
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
  const deadlines = Object.entries(snapshot.context.deadlines)
    .flatMap(([name, d]) => (d ? [{ name, event: d.event, dueAt: d.dueAt, rule: deadlineDefinitions[name as DeadlineName].rule }] : []))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
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
    amounts: snapshot.context.funds,
    deadlines,
    next: viewer ? availableEvents(snapshot, viewer, now) : [],
    context: snapshot.context,
    openedAt: dispute.openedAt,
    updatedAt: dispute.updatedAt,
  };
}
