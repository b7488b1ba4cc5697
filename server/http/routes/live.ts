/**
 * Live views of a dispute: its statechart with where it stands and the path it took, and a
 * Server-Sent Events stream of every change, each rendered for the viewer (their own `next`).
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { authenticate } from '../authenticate.ts';
import type { AppDeps, AppEnv } from '../deps.ts';
import { disputeSvg } from '../diagram.ts';
import { visibleDispute } from '../visible.ts';

export function liveRoutes(deps: AppDeps) {
  const { service } = deps;
  const auth = authenticate(deps.keys);
  return new Hono<AppEnv>()
    .get('/disputes/:id/diagram.svg', auth, async (c) => {
      const dispute = await visibleDispute(c, deps, c.req.param('id'));
      const svg = await disputeSvg(dispute.snapshot, await service.store.getHistory(dispute.id));
      return c.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'no-store' });
    })
    .get('/disputes/:id/stream', auth, async (c) => {
      const dispute = await visibleDispute(c, deps, c.req.param('id'));
      const principal = c.get('principal');
      return streamSSE(c, async (stream) => {
        let closed = false;
        let chain: Promise<void> = Promise.resolve();
        // Each commit is sent in order, rendered from the committed state it carries.
        const unsubscribe = service.runtime.subscribe(({ disputeId, history, dispute: after }) => {
          if (disputeId !== dispute.id || closed) return;
          const view = service.queries.view(principal, after);
          chain = chain.then(async () => {
            if (!closed) await stream.writeSSE({ event: 'dispute', id: String(view.version), data: JSON.stringify({ dispute: view, history }) });
          });
        });
        stream.onAbort(() => {
          closed = true;
          unsubscribe();
        });
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ version: dispute.version }) });
        while (!closed) {
          await stream.sleep(15_000);
          if (!closed) await stream.writeSSE({ event: 'ping', data: service.clock.now() });
        }
        await chain;
      });
    });
}
