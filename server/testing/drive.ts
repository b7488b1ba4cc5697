/**
 * Drives one path over HTTP against a deployment: registers the order, opens the dispute, sends
 * each event as its party (evidence as an upload, hiding through its route), moves the
 * deployment's clock where a deadline or a time guard needs it, and compares the dispute with the
 * model after every step. The first difference fails the path, naming the step.
 */
import { addDays, parsePolicy, type Policy, type PolicyOverrides } from '../../machines/index.ts';
import { call, deploymentNow, type Answer, type Target, type TokenRole } from './client.ts';
import { differences, type DisputeView } from './compare.ts';
import type { Covers } from './coverage.ts';
import { realizePath, type PathStep, type TestPath } from './realize.ts';
import { orderRegistration, scenarioNamed } from './scenarios.ts';

export interface PathResult {
  path: TestPath;
  status: 'passed' | 'failed' | 'skipped';
  /** Why it was skipped. */
  reason?: string;
  failure?: { step: number; description: string; message: string };
  stepsDriven: number;
  /** What the confirmed steps covered. */
  covers: Covers[];
  disputeId?: string;
  durationMs: number;
}

export interface DriveOptions {
  /** The policy the deployment is expected to run (ARBITER_POLICY's overrides). */
  policy?: Policy | PolicyOverrides;
  /** Makes order ids unique to this run. */
  runId: string;
  /** Paths that move the clock are skipped, with this reason, where it cannot be moved. */
  clockFixed?: string;
}

/** A one-pixel PNG: evidence the deployment types by its bytes. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');

class StepFailed extends Error {}
class Skip extends Error {}

export function describeStep(step: PathStep): string {
  if (step.kind === 'open') return `step ${step.n} (buyer opens: ${step.request?.type}, ${step.request?.reason})`;
  if (step.kind === 'event') return `step ${step.n} (${step.party} sends ${step.event!.type})`;
  return `step ${step.n} (clock ${step.advance!.by} later${step.fires ? `: ${step.fires.join(', ')}` : ''})`;
}

const partiesOf = (path: TestPath): TokenRole[] => [
  ...new Set<TokenRole>(['system', 'buyer', 'seller', ...path.steps.flatMap((s) => (s.party === 'clock' ? ['admin' as const] : [s.party]))]),
];

function firstDifference(a: unknown, b: unknown, at = ''): string | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return `${at || '(policy)'} is ${JSON.stringify(a)}, expected ${JSON.stringify(b)}`;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], at ? `${at}.${key}` : key);
    if (found) return found;
  }
  return null;
}

export async function drivePath(target: Target, given: TestPath, options: DriveOptions): Promise<PathResult> {
  const started = Date.now();
  const policy = parsePolicy(options.policy ?? {});
  let path = given;
  const covers: Covers[] = [];
  let driven = 0;
  let disputeId: string | undefined;
  const done = (status: PathResult['status'], extra: Partial<PathResult> = {}): PathResult => ({
    path,
    status,
    stepsDriven: driven,
    covers,
    ...(disputeId ? { disputeId } : {}),
    durationMs: Date.now() - started,
    ...extra,
  });
  const missing = partiesOf(path).filter((party) => !target.tokens[party]);
  if (missing.length) return done('skipped', { reason: `no token for ${missing.join(', ')}` });
  if (path.needsClock && options.clockFixed) return done('skipped', { reason: options.clockFixed });

  let step = path.steps[0]!;
  try {
    const factsAt = (await deploymentNow(target)).now;
    const orderId = `${options.runId}-${path.id || 'path'}`;
    const ids = { orderId, itemId: 'item-1', buyerId: target.subs.buyer!, sellerId: target.subs.seller! };
    const registered = await call(target, 'PUT', `/orders/${orderId}`, {
      as: 'system',
      json: orderRegistration(scenarioNamed(path.scenario.name), factsAt, ids),
    });
    if (registered.status !== 200) throw new StepFailed(`registering order ${orderId} answered ${registered.status}: ${JSON.stringify(registered.body)}`);
    const opened = await call(target, 'POST', '/disputes', { as: 'buyer', json: { orderId, itemId: 'item-1', ...step.request } });
    driven = 1;
    if (step.expect.refused) {
      const rules = (opened.body?.errors ?? []).map((e: { rule?: string }) => e.rule);
      if (opened.status !== 422 || !step.expect.refused.rules.every((r) => rules.includes(r))) {
        throw new StepFailed(
          `expected the opening refused (422) by ${step.expect.refused.rules.join(', ')}, got ${opened.status}: ${JSON.stringify(opened.body)}`,
        );
      }
      covers.push(step.covers);
      return done('passed');
    }
    if (opened.status !== 201) throw new StepFailed(`expected 201, got ${opened.status}: ${JSON.stringify(opened.body)}`);
    let view = opened.body as DisputeView;
    disputeId = view.id;
    const policyDiffers = firstDifference(view.context.policy, policy);
    if (policyDiffers)
      throw new StepFailed(`the deployment froze another policy into the dispute: ${policyDiffers} (give the deployment's ARBITER_POLICY with --policy)`);
    // Rebuilt for the instant the dispute really opened: business days depend on the weekday.
    const realized = realizePath({ id: path.id, scenario: path.scenario.name, recipes: path.recipes }, { policy, openedAt: view.openedAt, factsAt });
    if (!realized) return done('skipped', { reason: `the path does not apply to a dispute opened at ${view.openedAt}` });
    path = realized;
    const evidence = new Map<string, string>();
    const placeholders = (value: unknown): unknown =>
      typeof value === 'string'
        ? value.replaceAll('{dispute}', disputeId!).replace(/\{evidence:[a-zA-Z]+:\d+\}/g, (p) => evidence.get(p) ?? p)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholders(v)]))
          : value;
    const check = (viewer: PathStep['party']) => {
      const tolerance = Date.now() - started + 1000 * path.steps.filter((s) => s.advance && s.n <= step.n).length + 5000;
      const found = differences(view, step.expect, viewer === 'clock' ? 'buyer' : viewer, tolerance);
      if (found.length) throw new StepFailed(found.join('; '));
      covers.push(step.covers);
    };
    check('buyer');
    for (step of path.steps.slice(1)) {
      driven = step.n;
      view = step.kind === 'event' ? await send(target, view.id, step, placeholders, evidence) : await moveClock(target, view, step);
      check(step.party);
    }
    return done('passed');
  } catch (error) {
    if (error instanceof Skip) return done('skipped', { reason: error.message });
    const message = error instanceof StepFailed ? error.message : `the deployment could not be driven: ${String(error)}`;
    return done('failed', { failure: { step: step.n, description: describeStep(step), message } });
  }
}

function expectOk(answer: Answer, what: string): DisputeView {
  if (answer.status !== 200 && answer.status !== 201) throw new StepFailed(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return (answer.body.dispute ?? answer.body) as DisputeView;
}

async function send(target: Target, id: string, step: PathStep, placeholders: (v: unknown) => unknown, evidence: Map<string, string>): Promise<DisputeView> {
  const as = step.party as TokenRole;
  const { type, ...payload } = step.event!;
  if (type === 'evidence.add') {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'photo.png');
    const answer = await call(target, 'POST', `/disputes/${id}/evidence`, { as, form });
    const view = expectOk(answer, 'the evidence upload');
    evidence.set(String(payload.evidenceId), String(answer.body.evidence.id));
    return view;
  }
  if (type === 'evidence.hide') {
    const evidenceId = String(placeholders(payload.evidenceId));
    return expectOk(await call(target, 'POST', `/disputes/${id}/evidence/${evidenceId}/hide`, { as }), 'hiding evidence');
  }
  return expectOk(await call(target, 'POST', `/disputes/${id}/events`, { as, json: placeholders(step.event) }), type);
}

async function moveClock(target: Target, view: DisputeView, step: PathStep): Promise<DisputeView> {
  const until = step.advance!.until;
  let instant: number;
  if ('deadline' in until) {
    const armed = view.deadlines.find((d) => d.name === until.deadline);
    if (!armed) throw new StepFailed(`deadline ${until.deadline} is not armed`);
    instant = Date.parse(armed.dueAt);
  } else {
    const c = view.context as unknown as { openedAt: string; protectionEndsAt: string; policy: Policy };
    instant =
      Date.parse(until.guard === 'protectionEnd' ? c.protectionEndsAt : addDays(c.openedAt, c.policy.negotiation.buyerEscalationWaitDays)) + until.plusMs;
  }
  const { now } = await deploymentNow(target);
  const seconds = Math.max(1, Math.ceil((instant - Date.parse(now)) / 1000) + 1);
  const moved = await call(target, 'POST', '/admin/clock/advance', { as: 'admin', json: { by: `${seconds}s` } });
  if (moved.status === 404 || moved.status === 403) throw new Skip(`the deployment's clock cannot be moved (${moved.status}: ${moved.body?.detail ?? ''})`);
  if (moved.status !== 200) throw new StepFailed(`moving the clock answered ${moved.status}: ${JSON.stringify(moved.body)}`);
  return expectOk(await call(target, 'GET', `/disputes/${view.id}`, { as: 'buyer' }), `GET /disputes/${view.id}`);
}
