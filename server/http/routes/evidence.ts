/**
 * Evidence (R-EVID-*): uploads typed by their bytes, listed and downloaded by who may see the
 * dispute, hidden (never destroyed) from the case. An upload the dispute would refuse is refused
 * before its bytes are stored; bytes no record points to are removed.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { eventCatalog } from '../../../machines/index.ts';
import { displayName, sha256Of, storageKeyOf } from '../../effects/evidence-storage.ts';
import { acceptedEvidence, extensionOf, sniffMediaType } from '../../effects/evidence-types.ts';
import { actorOf } from '../../queries/disputes.ts';
import { authenticate } from '../authenticate.ts';
import type { AppEnv, FullDeps } from '../deps.ts';
import { problemFor } from '../errors.ts';
import { idempotencyKeyOf, limitBody, paramsOf, PathId, queryOf } from '../inputs.ts';
import { HttpProblem } from '../problems.ts';
import { sendEvent } from '../send-event.ts';
import { mayReadDispute, visibleDispute } from '../visible.ts';

const EvidenceParams = z.object({ id: PathId, evidenceId: PathId });
const mayViewHidden = (role: string) => ['agent', 'support', 'admin'].includes(role);

export const EvidenceQuery = z.strictObject({
  includeHidden: z.enum(['true', 'false']).optional().meta({
    description:
      'true: list hidden evidence too, marked hidden: true (R-EVID-3). Agents, support and admins only: for buyers and sellers it is ignored, they never see hidden evidence',
    example: 'true',
  }),
});

export function evidenceRoutes(deps: FullDeps) {
  const { service } = deps;
  const auth = authenticate(deps);

  async function upload(c: Context<AppEnv>) {
    const id = c.req.param('id')!;
    const dispute = await visibleDispute(c, deps, id);
    const principal = c.get('principal');
    const actor = actorOf(principal);
    if (!actor || !eventCatalog['evidence.add'].roles.includes(actor.role))
      throw new HttpProblem('forbidden', `evidence is added by buyers, sellers and agents, not by ${principal.role}`);
    const caps = dispute.snapshot.context.policy.evidence;
    if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? ''))
      throw new HttpProblem('unsupported-media-type', 'upload evidence as multipart/form-data with the file in the field "file"');
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File))
      throw new HttpProblem('invalid-request', 'the form needs a file in the field "file"', { errors: [{ field: 'file', message: 'missing file' }] });
    const bytes = new Uint8Array(await file.arrayBuffer());
    const sniffed = await sniffMediaType(bytes);
    if (!sniffed)
      throw new HttpProblem('unsupported-media-type', `the file is not an accepted type, whatever its name or declared type; accepted: ${acceptedEvidence}`);
    const cap = sniffed.kind === 'image' ? caps.imageMaxBytes : caps.videoMaxBytes;
    if (bytes.length > cap)
      throw new HttpProblem(
        'payload-too-large',
        `${sniffed.kind}s may be at most ${cap} bytes (R-EVID-${sniffed.kind === 'image' ? 1 : 2}); this one is ${bytes.length}`,
      );
    const sha256 = sha256Of(bytes);
    const evidenceId = `ev_${randomUUID()}`;
    const event = { type: 'evidence.add', evidenceId };
    const key = idempotencyKeyOf(c);
    // A repeat of an upload is not refused for the evidence id it would get anew.
    const options = { idempotencyKey: key, fingerprint: { op: 'evidence', disputeId: id, sha256, name: displayName(file.name) } };
    if (!key) {
      const refusal = await service.runtime.refusal(id, event, actor);
      if (refusal) throw refusalProblem(refusal);
    }
    const storageKey = storageKeyOf(sha256);
    await service.evidence.put(storageKey, bytes); // durable before the step that records it commits
    const record = {
      id: evidenceId,
      disputeId: id,
      sha256,
      size: bytes.length,
      mediaType: sniffed.mediaType,
      kind: sniffed.kind,
      uploaderRole: actor.role,
      uploaderId: actor.id,
      uploadedAt: service.clock.now(),
      displayName: displayName(file.name),
      storageKey,
    };
    const result = await service.runtime.send(id, event, actor, { ...options, evidence: record });
    if (!result.ok) {
      if (!(await service.store.evidenceBySha(sha256))) await service.evidence.remove(storageKey);
      throw refusalProblem(result.error);
    }
    const recorded = result.replayed ? (await service.store.listEvidence(id)).filter((e) => e.sha256 === sha256 && e.uploaderId === actor.id).at(-1) : record;
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    const { storageKey: _key, ...shown } = recorded ?? record;
    const view = service.queries.view(principal, result.dispute);
    return c.json({ evidence: { ...shown, hidden: view.context.hiddenEvidenceIds.includes(shown.id) }, dispute: view }, 201);
  }

  return new Hono<AppEnv>()
    .post('/disputes/:id/evidence', auth, mayReadDispute(deps), limitBody(64 * 1024 * 1024, 'evidence uploads'), upload)
    .get('/disputes/:id/evidence', auth, mayReadDispute(deps), queryOf(EvidenceQuery), async (c) => {
      const dispute = await visibleDispute(c, deps, c.req.param('id'));
      const includeHidden = mayViewHidden(c.get('principal').role) && c.req.valid('query').includeHidden === 'true';
      const hidden = new Set(dispute.snapshot.context.hiddenEvidenceIds);
      const items = (await service.store.listEvidence(dispute.id))
        .map(({ storageKey: _key, ...e }) => ({ ...e, hidden: hidden.has(e.id) }))
        .filter((e) => includeHidden || !e.hidden);
      return c.json({ items });
    })
    .get('/disputes/:id/evidence/:evidenceId', auth, paramsOf(EvidenceParams), async (c) => {
      const { id, evidenceId } = c.req.valid('param');
      const dispute = await visibleDispute(c, deps, id);
      const found = await service.store.getEvidence(dispute.id, evidenceId);
      const hidden = found !== undefined && dispute.snapshot.context.hiddenEvidenceIds.includes(found.id);
      if (!found || (hidden && !mayViewHidden(c.get('principal').role)))
        throw new HttpProblem('not-found', `no evidence ${evidenceId} on dispute ${dispute.id}`);
      const bytes = await service.evidence.get(found.storageKey);
      if (!bytes) throw new Error(`evidence ${found.id} is recorded but its bytes are missing from storage`);
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': found.mediaType,
        'Content-Disposition': `attachment; filename="${found.id}.${extensionOf(found.mediaType)}"`,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'",
        ETag: `"${found.sha256}"`,
      });
    })
    .post('/disputes/:id/evidence/:evidenceId/hide', auth, mayReadDispute(deps), paramsOf(EvidenceParams), async (c) => {
      const { id, evidenceId } = c.req.valid('param');
      const found = await service.store.getEvidence(id, evidenceId);
      if (!found) throw new HttpProblem('not-found', `no evidence ${evidenceId} on dispute ${id}`);
      if (c.get('principal').role !== 'agent' && found.uploaderId !== c.get('principal').sub)
        throw new HttpProblem('forbidden', 'parties hide only the evidence they uploaded; agents hide any');
      return sendEvent(c, deps, id, { type: 'evidence.hide', evidenceId: found.id });
    });
}

/** An upload the dispute will not take says so as the event would (409 when it is over). */
function refusalProblem(error: Parameters<typeof problemFor>[0]): HttpProblem {
  if (error.kind === 'rejected' && error.rejection.kind === 'not_accepted') {
    return new HttpProblem('event-not-accepted', `the dispute no longer takes evidence: ${error.rejection.message}`, {
      acceptedEvents: error.rejection.accepted,
    });
  }
  return problemFor(error, 'evidence.add');
}
