/**
 * What happens next if nobody acts: the armed deadlines fire in order (R-GEN-4) on a copy of the
 * dispute, and each one's date, rule and automatic outcome is read from the machine itself (the
 * deadline's definition and the states the chart moves to). Nothing here is written by hand per
 * state, so a change to the chart changes the forecast with it.
 */
import { armedDeadlines, scheduler } from './available.ts';
import type { DeadlineName } from './deadline-names.ts';
import { deadlineDefinitions } from './deadlines.ts';
import type { DisputeEvent } from './events.ts';
import type { PolicyRuleId } from './rule-ids.ts';
import { activeRegions, type ActiveRegion, type DisputeSnapshot } from './snapshot.ts';
import { awaitedBy, type AwaitedParty } from './stages.ts';
import { transitionDispute } from './transition.ts';

export interface ForecastStep {
  deadline: DeadlineName;
  label: string;
  rule: PolicyRuleId;
  dueAt: string;
  /** How long it runs under this dispute's policy, e.g. "5 days". */
  length: string;
  /** What firing it does, from the deadline's definition. */
  effect: string;
  /** Armed now (true), or armed by an earlier step of this forecast (false). */
  armedNow: boolean;
  /** Where the dispute stands after it fired. */
  then: ActiveRegion[];
}

export interface Forecast {
  steps: ForecastStep[];
  /** Who the dispute waits for once no deadline is left ("nobody" when it has ended). */
  thenAwaiting: AwaitedParty[];
  ended: boolean;
}

/** Fires the dispute's deadlines in order on a copy until none is left (or `maxSteps`). */
export function ifNobodyActs(snapshot: DisputeSnapshot, maxSteps = 6): Forecast {
  const steps: ForecastStep[] = [];
  let current = snapshot;
  // A finished dispute takes no event: its first deadline changes nothing and ends the loop.
  while (steps.length < maxSteps) {
    const next = armedDeadlines(current)[0];
    if (!next) break;
    const [after] = transitionDispute(current, { type: next.event, at: next.dueAt, by: scheduler } as DisputeEvent);
    if (after === current) break;
    const definition = deadlineDefinitions[next.name];
    steps.push({
      deadline: next.name,
      label: definition.label,
      rule: definition.rule,
      dueAt: next.dueAt,
      length: definition.lengthIn(current.context),
      effect: definition.effect,
      armedNow: snapshot.context.deadlines[next.name]?.dueAt === next.dueAt,
      then: activeRegions(after),
    });
    current = after;
  }
  // Every end of the chart carries the tag, the one final state (refused) included; standingOf reads it the same way.
  return { steps, thenAwaiting: awaitedBy(current), ended: current.hasTag('ended') };
}
