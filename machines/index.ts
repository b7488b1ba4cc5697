/**
 * Arbiter's pure core: the dispute statechart, its policy and its events. No I/O, no clock, no
 * randomness: time arrives on each event (`at`), stamped by the shell.
 */
export { disputeMachine, disputeMachineVersion, initialContext, type DisputeMachine } from './dispute.ts';
export {
  acceptedEventTypes,
  availableEvents,
  catchUp,
  checkEvent,
  dueDeadlines,
  parseEvent,
  payloadJsonSchema,
  scheduler,
  type AvailableEvent,
  type Checked,
  type Rejection,
} from './available.ts';
export {
  activeLeaves,
  activeRegions,
  activeStateNodes,
  leafPaths,
  nodeLabel,
  stateDescription,
  stateLabel,
  type ActiveRegion,
  type DisputeSnapshot,
} from './snapshot.ts';
export { awaitedBy, awaitedParties, stageOf, stages, stagesIn, type AwaitedParty, type DisputeTag, type Stage } from './stages.ts';
export { agentsMaySee, standingOf, type Standing } from './standing.ts';
export { initialDisputeTransition, transitionDispute, type ExecutedAction } from './transition.ts';
export {
  ActorSchema,
  eventCatalog,
  eventRoles,
  eventTypes,
  isEventType,
  type DisputeEvent,
  type EventPayload,
  type EventPayloadInput,
  type EventType,
} from './events.ts';
export { defaultPolicy, evidenceFormats, parsePolicy, PolicySchema, type Policy, type PolicyOverrides } from './policy.ts';
export { DisputeReason, DisputeType, Instant, MinorUnits, OpenRequest, PositiveMinorUnits, OrderItemFacts, type DisputeInput } from './order.ts';
export { deadlineDefinitions, deadlineForEvent, deadlineNames, type DeadlineName } from './deadlines.ts';
export { roles, type Actor, type DisputeContext, type Problem, type Role, type Split } from './context.ts';
export * as rules from './rules.ts';
export { ifNobodyActs, type Forecast, type ForecastStep } from './outlook.ts';
export { refusalProblems } from './refusals.ts';
export { fieldIssues, type FieldIssue } from './field-issues.ts';
export { policyRuleIds, refusalRuleIds, type PolicyRuleId, type RefusalRuleId } from './rule-ids.ts';
export { termsOnTheTable, type Terms } from './terms.ts';
export { describeMachine, guardName, type EventDescription, type MachineDescription, type StateDescription, type TransitionDescription } from './describe.ts';
export { portableConfig, type Portable, type PortableConfig } from './portable-config.ts';
export {
  compactSnapshot,
  expandSnapshot,
  persistSnapshot,
  restoreSnapshot,
  snapshotMigrations,
  UnsupportedMachineVersion,
  type PersistedSnapshot,
  type StoredSnapshot,
} from './persistence.ts';
export { addBusinessDays, addDays, isAtOrAfter, isBefore, toMillis } from './time.ts';
