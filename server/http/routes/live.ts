/**
 * Live views of a dispute: its statechart with where it stands and the path it took, and a
 * Server-Sent Events stream of every change, each rendered for the viewer (their own `next`).
 *
 * A stream holds a connection for as long as the client likes, so each is admitted by the
 * gate (a few per party, a bounded number in all: 429 / 503 otherwise), and every heartbeat
 * checks again that the viewer's credential holds and the dispute is still theirs to see: a
 * signed-out session or an expired token ends its streams within one heartbeat.
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Committed } from '../../runtime/runtime.ts';
import { authenticate, stillValid } from '../authenticate.ts';
import type { AppEnv, FullDeps } from '../deps.ts';
import { disputeSvg } from '../diagram.ts';
import { createCommitHub } from '../streams.ts';
import { visibleDispute } from '../visible.ts';

export function liveRoutes(deps: FullDeps) {
  const { service } = deps;
  const auth = authenticate(deps);
  const hub = createCommitHub((listener) => service.runtime.subscribe(listener));
  const heartbeatMs = service.config.edge.streamHeartbeatMs;
  // Streams of one viewer on one dispute share the rendering of each commit.
  const rendered = new WeakMap<Committed, Map<string, string>>();

  return new Hono<AppEnv>()
    .get('/disputes/:id/diagram.svg', auth, async (c) => {
      const dispute = await visibleDispute(c, deps, c.req.param('id'));
      const svg = await disputeSvg(dispute.snapshot, await service.store.getHistory(dispute.id));
      return c.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'no-store' });
    })
    .get('/disputes/:id/stream', auth, async (c) => {
      const dispute = await visibleDispute(c, deps, c.req.param('id'));
      const principal = c.get('principal');
      const credential = c.get('credential');
      const viewer = `${principal.role}:${principal.sub}`;
      const release = deps.streams.admit(viewer);
      const render = (committed: Committed) => {
        let views = rendered.get(committed);
        if (!views) rendered.set(committed, (views = new Map()));
        let data = views.get(viewer);
        if (data === undefined) {
          data = JSON.stringify({ dispute: service.queries.view(principal, committed.dispute), history: committed.history });
          views.set(viewer, data);
        }
        return { version: committed.dispute.version, data };
      };
      return streamSSE(
        c,
        async (stream) => {
          let closed = false;
          let chain: Promise<void> = Promise.resolve();
          // Each commit is sent in order, rendered from the committed state it carries.
          const unwatch = hub.watch(dispute.id, (committed) => {
            if (closed) return;
            const { version, data } = render(committed);
            chain = chain.then(async () => {
              if (!closed) await stream.writeSSE({ event: 'dispute', id: String(version), data });
            });
          });
          const end = () => {
            if (closed) return;
            closed = true;
            unwatch();
            release();
          };
          stream.onAbort(end);
          try {
            await stream.writeSSE({ event: 'ready', data: JSON.stringify({ version: dispute.version }) });
            while (!closed) {
              await stream.sleep(heartbeatMs);
              if (closed) break;
              if (!(await stillValid(deps, credential)) || !(await service.queries.mayRead(principal, dispute.id))) break;
              await stream.writeSSE({ event: 'ping', data: service.clock.now() });
            }
            await chain;
          } finally {
            end();
          }
        },
        async (error, stream) => {
          service.log.warn('an event stream failed', { disputeId: dispute.id, error: error.message });
          await stream.close();
        },
      );
    });
}
