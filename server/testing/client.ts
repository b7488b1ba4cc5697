/**
 * The deployment under test, over HTTP: its URL and a token per party. Every request has a time
 * limit, so a deployment that stops answering fails the step that waited instead of hanging the run.
 */
import type { Party } from './samples.ts';

export type TokenRole = Party | 'admin';

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever JSON the deployment sent
  body: any;
}

export interface Target {
  url: string;
  tokens: Partial<Record<TokenRole, string>>;
  /** The party id (`sub`) behind each token: the order names the buyer and the seller by it. */
  subs: Partial<Record<TokenRole, string>>;
  /** Per request, in ms. */
  timeoutMs?: number;
}

/** The claims of a JWT, read without checking its signature (the deployment checks it). */
export function claimsOf(token: string): { role?: string; sub?: string } {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { role?: string; sub?: string };
  } catch {
    return {};
  }
}

/**
 * A target from tokens, each placed by its own `role` claim; a second agent token becomes the
 * second agent (an appeal goes to another agent than the one who decided).
 */
export function targetFrom(url: string, tokens: string[], timeoutMs?: number): Target {
  const target: Target = { url: url.replace(/\/+$/, ''), tokens: {}, subs: {}, ...(timeoutMs ? { timeoutMs } : {}) };
  for (const token of tokens) {
    const { role, sub } = claimsOf(token);
    const slot: TokenRole | undefined =
      role === 'agent' ? (target.tokens.agent ? 'secondAgent' : 'agent') : (['buyer', 'seller', 'system', 'admin'] as const).find((r) => r === role);
    if (!slot || !sub) throw new Error(`a token without a usable role and sub (role ${String(role)}): tokens for buyer, seller, agent (two), system and admin`);
    if (target.tokens[slot]) throw new Error(`two tokens for ${slot}`);
    target.tokens[slot] = token;
    target.subs[slot] = sub;
  }
  return target;
}

export async function call(target: Target, method: string, path: string, options: { as?: TokenRole; json?: unknown; form?: FormData } = {}): Promise<Answer> {
  const token = options.as ? target.tokens[options.as] : undefined;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const body = options.form ?? (options.json !== undefined ? JSON.stringify(options.json) : undefined);
  const response = await fetch(`${target.url}${path}`, { method, headers, body, signal: AbortSignal.timeout(target.timeoutMs ?? 30_000) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}

/** The deployment's clock: `GET /admin/clock` where an admin token is given, else this machine's. */
export async function deploymentNow(target: Target): Promise<{ now: string; controllable: boolean }> {
  if (!target.tokens.admin) return { now: new Date().toISOString(), controllable: false };
  const answer = await call(target, 'GET', '/admin/clock', { as: 'admin' });
  if (answer.status !== 200) throw new Error(`GET /admin/clock answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return { now: String(answer.body.now), controllable: Boolean(answer.body.controllable) };
}
