/** Events: the typed event endpoint, messages between the parties, carrier callbacks. */
import { Hono } from 'hono';
import { z } from 'zod';
import { authenticate, requireRole } from '../authenticate.ts';
import type { AppEnv, FullDeps } from '../deps.ts';
import { problemFor } from '../errors.ts';
import { idempotencyKeyOf, jsonBody, limitBody } from '../inputs.ts';
import { HttpProblem } from '../problems.ts';
import { CarrierReturnBody, MessageBody, type EventInput } from '../schemas.ts';
import { sendEvent } from '../send-event.ts';
import { mayReadDispute } from '../visible.ts';

/** Events arrive as `{ type, ...payload }`; the runtime checks each type's payload. */
const AnyEvent = z.looseObject({ type: z.unknown() });

export function eventRoutes(deps: FullDeps) {
  const { service } = deps;
  const auth = authenticate(deps);
  const small = limitBody(deps.maxBodyBytes ?? 16 * 1024);
  const mayRead = mayReadDispute(deps);

  return (
    new Hono<AppEnv>()
      // The event's own schema (one per type, in the event catalogue) is checked by the runtime,
      // after the sender's role: what a caller may send is typed as that schema's input.
      .post('/disputes/:id/events', auth, mayRead, small, jsonBody<typeof AnyEvent, EventInput>(AnyEvent), (c) =>
        sendEvent(c, deps, c.req.param('id'), c.req.valid('json')),
      )
      .post('/disputes/:id/messages', auth, mayRead, small, jsonBody(MessageBody), (c) =>
        sendEvent(c, deps, c.req.param('id'), { type: 'message.send', body: c.req.valid('json').body }),
      )
      .post('/carrier/returns', auth, small, jsonBody(CarrierReturnBody), async (c) => {
        const principal = requireRole(c, ['system'], 'carrier callbacks');
        const body = c.req.valid('json');
        const record = await service.store.findDisputeByReturnTracking(body.trackingNumber);
        if (!record) throw new HttpProblem('not-found', `no return travels under tracking number ${body.trackingNumber}`);
        const result = await service.runtime.send(
          record.id,
          { type: 'return.delivered' },
          { role: 'system', id: principal.sub },
          { idempotencyKey: idempotencyKeyOf(c) },
        );
        if (!result.ok) throw problemFor(result.error, 'return.delivered');
        return c.json(service.queries.view(principal, result.dispute));
      })
  );
}
