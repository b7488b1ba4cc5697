/**
 * The machine itself: the statechart as data, drawn, and the paths through it under this
 * deployment's policy (`arbiter/testing`), for QA teams to drive against the deployment.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { describeMachine, stages, type Stage } from '../../../machines/index.ts';
import { generatePaths } from '../../testing/index.ts';
import type { AppDeps, AppEnv } from '../deps.ts';
import { machineSvg } from '../diagram.ts';
import { queryOf } from '../inputs.ts';
import { HttpProblem } from '../problems.ts';

export const PathsQuery = z.strictObject({
  to: z.string().trim().min(1).max(200).optional().meta({
    description: 'A state (escalated.inQueue), a state prefix (escalated), refused, or a stage (refunding); without it, paths covering the whole chart',
  }),
  kind: z
    .enum(['shortest', 'simple'])
    .default('shortest')
    .meta({ description: 'shortest: one path per state reached; simple: every simple path up to maxLength' }),
  maxLength: z.coerce
    .number()
    .int()
    .min(1)
    .max(60)
    .optional()
    .meta({ description: 'The most steps a path may have, the opening included (simple: 8 by default)' }),
  maxPaths: z.coerce.number().int().min(1).max(1000).optional().meta({ description: 'The most paths returned (simple: 100 by default)' }),
});

export function machineRoutes(deps: Pick<AppDeps, 'service'>) {
  // Explanations carry this deployment's policy numbers; each names the settings it reads.
  const description = describeMachine(deps.service.config.policy);
  const known = (to: string) =>
    to === 'refused' || stages.includes(to as Stage) || description.states.some((s) => s.path !== '' && (s.path === to || s.path.startsWith(`${to}.`)));
  return new Hono<AppEnv>()
    .get('/machines/dispute', (c) => c.json(description))
    .get('/machines/dispute.svg', async (c) => c.body(await machineSvg(deps.service.config.policy), 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' }))
    .get('/machines/dispute/paths', queryOf(PathsQuery), (c) => {
      const query = c.req.valid('query');
      if (query.to && !known(query.to)) {
        throw new HttpProblem(
          'invalid-request',
          `no state or stage named ${query.to}: see GET /machines/dispute for the states; stages are ${stages.join(', ')}`,
          {
            errors: [{ field: 'to', message: 'an unknown state or stage' }],
          },
        );
      }
      const set = generatePaths({
        policy: deps.service.config.policy,
        kind: query.kind,
        openedAt: deps.service.clock.now(),
        ...(query.to ? { to: query.to } : {}),
        ...(query.maxLength ? { maxLength: query.maxLength } : {}),
        ...(query.maxPaths ? { maxPaths: query.maxPaths } : {}),
      });
      return c.json(set);
    });
}
