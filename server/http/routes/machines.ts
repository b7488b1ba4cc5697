/** The machine itself: the statechart as data, and drawn. */
import { Hono } from 'hono';
import { describeMachine } from '../../../machines/index.ts';
import type { AppEnv } from '../deps.ts';
import { machineSvg } from '../diagram.ts';

export function machineRoutes() {
  const description = describeMachine();
  return new Hono<AppEnv>()
    .get('/machines/dispute', (c) => c.json(description))
    .get('/machines/dispute.svg', async (c) => c.body(await machineSvg(), 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' }));
}
