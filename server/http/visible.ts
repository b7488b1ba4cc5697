/**
 * The dispute in the path, checked before anything else about the request (404 comes before 403,
 * 413, 415 and 422): its id must be well-formed and the caller must be allowed to see it, or the
 * answer is 404 alike, whether it exists or not.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { agentsMaySee } from '../../machines/index.ts';
import { canSee } from '../queries/disputes.ts';
import type { AppDeps, AppEnv } from './deps.ts';
import { PathId } from './inputs.ts';
import { HttpProblem } from './problems.ts';

export const DisputeParams = z.object({ id: PathId });

/** Middleware for routes that write to the dispute in the path: only who may see it goes on. */
export function mayReadDispute(deps: AppDeps) {
  const { runtime, queries } = deps.service;
  return createMiddleware<AppEnv>(async function mayReadDispute(c, next) {
    const id = c.req.param('id') ?? '';
    if (!PathId.safeParse(id).success) throw new HttpProblem('not-found', `no dispute ${id}`);
    // A busy dispute is in memory already: no read for who may see it.
    const cached = runtime.cached(id);
    const allowed = cached
      ? canSee(c.get('principal'), { buyerId: cached.buyerId, sellerId: cached.sellerId, agentVisible: agentsMaySee(cached.snapshot) })
      : await queries.mayRead(c.get('principal'), id);
    if (!allowed) throw new HttpProblem('not-found', `no dispute ${id}`);
    await next();
  });
}

/** The dispute in the path, restored, if the caller may see it; 404 otherwise. */
export async function visibleDispute(c: Context<AppEnv>, deps: AppDeps, id: string) {
  const dispute = PathId.safeParse(id).success ? await deps.service.queries.visible(c.get('principal'), id) : undefined;
  if (!dispute) throw new HttpProblem('not-found', `no dispute ${id}`);
  return dispute;
}
