/**
 * What leaves the service, exactly once: webhooks to a receiver on 127.0.0.1 (signed, retried,
 * ordered, dead-lettered and re-driven), refunds and releases through the simulated provider
 * (including a failed card retried to the account behind it), evidence, carrier callbacks.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApi, type Api } from './support/api.ts';
import { openingBody, orderBody } from './support/bodies.ts';
import { spawnTs } from './support/processes.ts';
import { RECEIVER_SECRET, startReceiver, type Receiver } from './support/receiver.ts';

const SECRET = RECEIVER_SECRET;
let api: Api;
let receiver: Receiver;
let flaky: Receiver;
let t: Record<'system' | 'buyer' | 'seller' | 'agent' | 'admin' | 'support', string>;

function order(instrument: string | null = null, extra: Record<string, unknown> = {}) {
  return orderBody(api.service.clock.now(), { instrument, item: extra }); // the demo clock moves in these tests
}

async function openOn(orderId: string, instrument: string | null = null, request: Record<string, unknown> = {}) {
  expect((await api.request('PUT', `/orders/${orderId}`, { token: t.system, body: order(instrument) })).status).toBe(200);
  const res = await api.request('POST', '/disputes', {
    token: t.buyer,
    body: openingBody(orderId, { includeShipping: true, ...request }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

const advance = (by: string) => api.request('POST', '/admin/clock/advance', { token: t.admin, body: { by } });
const get = async (id: string) => (await api.request('GET', `/disputes/${id}`, { token: t.support })).body;

beforeAll(async () => {
  receiver = await startReceiver(SECRET);
  flaky = await startReceiver(SECRET);
  api = await startApi({
    config: {
      webhooks: [
        { id: 'shop', url: receiver.url, secret: SECRET },
        { id: 'flaky', url: flaky.url, secret: SECRET },
      ],
      outboxMaxAttempts: 3,
      outboxBackoffMs: 20,
    },
  });
  t = {
    system: api.token('system', 'marketplace'),
    buyer: api.token('buyer', 'buyer-ana'),
    seller: api.token('seller', 'seller-bolt'),
    agent: api.token('agent', 'agent-kim'),
    admin: api.token('admin', 'admin'),
    support: api.token('support', 'support-sam'),
  };
});
afterAll(async () => {
  await api.stop();
  await receiver.close();
  await flaky.close();
});

describe('webhooks', () => {
  it('every step reaches the subscriber signed, in order per dispute, with a 500 retried', async () => {
    let failedOnce = false;
    receiver.answer = (d) => {
      if (!failedOnce && d.event === 'dispute.updated') {
        failedOnce = true;
        return 500;
      }
      return 200;
    };
    const id = await openOn('o-hooks-1');
    await api.request('POST', `/disputes/${id}/events`, { token: t.seller, body: { type: 'seller.counterOffer', amount: 2000 } });
    await api.request('POST', `/disputes/${id}/events`, { token: t.buyer, body: { type: 'buyer.rejectOffer' } });
    await api.request('POST', `/disputes/${id}/messages`, { token: t.buyer, body: { body: 'please' } });
    await receiver.waitFor((all) => all.filter((d) => d.body.data.disputeId === id && d.event !== 'x').length >= 5);
    const mine = receiver.received.filter((d) => d.body.data.disputeId === id);
    expect(mine.every((d) => d.signatureValid)).toBe(true);
    const first = mine.find((d) => d.event === 'dispute.updated')!;
    expect(mine.filter((d) => d.id === first.id)).toHaveLength(2); // answered 500, then retried with the same id
    const unique = receiver.unique().filter((d) => d.body.data.disputeId === id);
    expect(unique.map((d) => [d.event, d.body.data.seq])).toEqual([
      ['dispute.created', 1],
      ['dispute.updated', 2],
      ['dispute.updated', 3],
      ['dispute.updated', 4],
    ]);
    expect(unique[1]!.body.data).toMatchObject({
      event: 'seller.counterOffer',
      fromState: 'negotiating.awaitingSellerResponse',
      toState: 'negotiating.offerPending',
      actor: { role: 'seller', id: 'seller-bolt' },
    });
    // Order held: the retried delivery came before anything later of the same dispute.
    const arrival = mine.map((d) => d.body.data.seq);
    expect(arrival).toEqual([...arrival].sort((a, b) => a - b));

    const log = await api.request('GET', `/disputes/${id}/deliveries`, { token: t.support });
    const retried = log.body.items.find((row: { deliveryId: string }) => row.deliveryId === first.id);
    expect(retried).toMatchObject({ status: 'done', attempts: 2, channel: 'webhook:shop' });
    expect(retried.log.map((a: { ok: boolean; statusCode: number }) => [a.ok, a.statusCode])).toEqual([
      [false, 500],
      [true, 200],
    ]);
    expect((await api.request('GET', `/disputes/${id}/deliveries`, { token: t.buyer })).status).toBe(403);
  });

  it('deliveries are Standard Webhooks: an off-the-shelf verifier accepts them, refuses a tampered body, a wrong secret or an old timestamp', async () => {
    const id = await openOn('o-hooks-std');
    await api.request('POST', `/disputes/${id}/events`, { token: t.seller, body: { type: 'seller.counterOffer', amount: 2100 } });
    await receiver.waitFor((all) => all.some((d) => d.body.data.disputeId === id && d.event === 'dispute.updated'));
    const delivery = receiver.received.find((d) => d.body.data.disputeId === id && d.event === 'dispute.updated')!;
    expect(delivery.headers).toMatchObject({
      'webhook-id': delivery.body.id,
      'webhook-timestamp': expect.stringMatching(/^\d+$/),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]+={0,2}$/),
    });
    expect(delivery.body.id).toMatch(/^whd_/);
    expect(Math.abs(Number(delivery.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);

    const webhook = new Webhook(SECRET);
    expect(webhook.verify(delivery.raw, delivery.headers)).toEqual(delivery.body);
    const tampered = delivery.raw.replace('"event":"seller.counterOffer"', '"event":"seller.accept"');
    expect(tampered).not.toBe(delivery.raw);
    expect(() => webhook.verify(tampered, delivery.headers)).toThrow(WebhookVerificationError);
    expect(() => webhook.verify(delivery.raw, { ...delivery.headers, 'webhook-id': 'whd_another' })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(`whsec_${Buffer.from('another-secret-0123456789abcdef').toString('base64')}`).verify(delivery.raw, delivery.headers)).toThrow(
      WebhookVerificationError,
    );
    // The same delivery replayed ten minutes later is refused (beyond the 5 minutes' tolerance).
    vi.setSystemTime(Date.now() + 10 * 60_000);
    try {
      expect(() => webhook.verify(delivery.raw, delivery.headers)).toThrow(/too old/);
    } finally {
      vi.useRealTimers();
    }
    expect(webhook.verify(delivery.raw, delivery.headers)).toEqual(delivery.body);
  });

  it('the bundled receiver (npm run webhook-receiver) takes a real delivery once, and refuses it tampered or replayed late', async () => {
    const id = await openOn('o-hooks-cli');
    await receiver.waitFor((all) => all.some((d) => d.body.data.disputeId === id));
    const delivery = receiver.received.find((d) => d.body.data.disputeId === id)!;
    const signed = (headers: Record<string, string>) => ({
      'webhook-id': headers['webhook-id']!,
      'webhook-timestamp': headers['webhook-timestamp']!,
      'webhook-signature': headers['webhook-signature']!,
    });
    const cli = spawnTs('server/cli/webhook-receiver.ts', ['--port', '0', '--secret', SECRET]);
    try {
      const url = /on (http:\S+)/.exec(await cli.waitFor(/^webhook receiver on /))![1]!;
      const post = (body: string, headers: Record<string, string>) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then((r) => r.status);
      expect(await post(delivery.raw, signed(delivery.headers))).toBe(200);
      expect(await post(delivery.raw, signed(delivery.headers))).toBe(200); // a repeat, acknowledged and dropped
      expect(await post(delivery.raw.replace('"seq":1', '"seq":2'), signed(delivery.headers))).toBe(401);
      const late = new Date(Date.now() - 10 * 60_000); // what a delivery captured ten minutes ago carries
      const replay = { 'webhook-id': delivery.id, 'webhook-timestamp': String(Math.floor(late.getTime() / 1000)) };
      expect(await post(delivery.raw, { ...replay, 'webhook-signature': new Webhook(SECRET).sign(delivery.id, late, delivery.raw) })).toBe(401);
      await cli.waitFor(/too old/);
      expect(cli.lines.filter((line) => line.startsWith('✓'))).toEqual([expect.stringContaining(`dispute.created  ${id} #1`)]);
      expect(cli.lines.filter((line) => line.startsWith('='))).toHaveLength(1);
      expect(cli.lines.filter((line) => line.startsWith('✗'))).toEqual([expect.stringMatching(/No matching signature/), expect.stringMatching(/too old/)]);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });

  it('after the maximum attempts a delivery is dead; an admin re-drives it once the receiver is back', async () => {
    flaky.answer = () => 503;
    const id = await openOn('o-hooks-2');
    let dead: { id: number; deliveryId: string }[] = [];
    for (let i = 0; i < 200 && dead.length === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 25));
      dead = (await api.request('GET', `/admin/outbox?status=dead&dispute=${id}`, { token: t.admin })).body.items;
    }
    expect(dead).toHaveLength(1);
    expect(flaky.received.filter((d) => d.id === dead[0]!.deliveryId)).toHaveLength(3);
    flaky.answer = () => 200;
    const redriven = await api.request('POST', `/admin/outbox/${dead[0]!.id}/redrive`, { token: t.admin });
    expect(redriven.status).toBe(200);
    await flaky.waitFor((all) => all.filter((d) => d.id === dead[0]!.deliveryId).length === 4);
    expect((await api.request('POST', `/admin/outbox/${dead[0]!.id}/redrive`, { token: t.admin })).status).toBe(409);
    expect((await api.request('GET', `/admin/outbox?status=dead`, { token: t.buyer })).status).toBe(403);
  });
});

describe('refunds and releases', () => {
  it('a silent seller: the refund settles through the provider and the dispute resolves, refunded + released = paid', async () => {
    const id = await openOn('o-pay-1', null, { amount: 3000, includeShipping: false });
    await advance('6d'); // the seller's window passes: refund of 3000 requested
    let dispute = await get(id);
    expect(dispute.state).toBe('resolving.decision.final + resolving.payout.settlement.requested');
    await advance('30d'); // past any card settlement day
    dispute = await get(id);
    expect(dispute.state).toBe('resolved.refunded');
    expect(dispute.amounts).toEqual({ currency: 'USD', paid: 4500, held: 0, refunded: 3000, released: 1500 });
    expect(dispute.context.outcome.split).toEqual({ refunded: 3000, released: 1500, withPaymentProvider: 0 });
    const book = api.server.effects.provider.book(id);
    expect(book.map((b) => [b.kind, b.amount, b.outcome])).toEqual([
      ['refund', 3000, 'settle'],
      ['release', 1500, 'settle'],
    ]);
    const resolved = receiver.unique().find((d) => d.body.data.disputeId === id && d.event === 'dispute.resolved');
    expect(resolved?.body.data).toMatchObject({ outcome: { end: 'resolved', split: { refunded: 3000, released: 1500 } } });
  });

  it('an expired card: the refund fails, is retried to the account behind it, and settles once', async () => {
    const id = await openOn('o-pay-2', 'tok_card_expired');
    await advance('6d');
    // The failure is reported a business day after the request (1 to 3 calendar days); the retry
    // settles 3 or more business days later, so a day at a time catches the retry before it settles.
    let dispute = await get(id);
    for (let day = 0; day < 4 && !dispute.state.includes('retryingToFallback'); day += 1) {
      await advance('1d');
      dispute = await get(id);
    }
    expect(dispute.state).toContain('settlement.retryingToFallback');
    expect(dispute.context.refunds[0]).toMatchObject({ destination: 'account_behind_method', attempt: 2, failures: [{ reason: 'card expired' }] });
    await advance('30d');
    dispute = await get(id);
    expect(dispute.amounts).toMatchObject({ paid: 4500, refunded: 4500, released: 0, held: 0 });
    const book = api.server.effects.provider.book(id);
    expect(book.map((b) => [b.kind, b.amount, b.outcome])).toEqual([
      ['refund', 4500, 'fail'],
      ['refund', 4500, 'settle'],
    ]);
    const history = (await api.request('GET', `/disputes/${id}/history`, { token: t.support })).body.items.map((h: { type: string }) => h.type);
    expect(history.filter((type: string) => type === 'refund.settled')).toHaveLength(1);
  });

  it('a closed account fails on both destinations and waits for an agent (R-REF-3)', async () => {
    const id = await openOn('o-pay-3', 'tok_account_closed');
    await advance('6d');
    await advance('4d'); // a failure is reported a business day later: at most 3 calendar days
    await advance('4d');
    const dispute = await get(id);
    expect(dispute.state).toContain('settlement.needsAttention');
    expect(dispute.amounts.refunded).toBe(0);
  });
});

describe('returns', () => {
  it('the carrier reports the return delivered by tracking number; the seller confirms; the refund follows', async () => {
    const id = await openOn('o-ret-1', null, { type: 'return_and_refund', includeShipping: false });
    await api.request('POST', `/disputes/${id}/events`, { token: t.seller, body: { type: 'seller.accept' } });
    await api.request('POST', `/disputes/${id}/events`, { token: t.buyer, body: { type: 'buyer.shipReturn', carrier: 'PostNL', trackingNumber: 'RR-123-NL' } });
    expect((await api.request('POST', '/carrier/returns', { token: t.buyer, body: { trackingNumber: 'RR-123-NL', status: 'delivered' } })).status).toBe(403);
    expect((await api.request('POST', '/carrier/returns', { token: t.system, body: { trackingNumber: 'RR-999', status: 'delivered' } })).status).toBe(404);
    const delivered = await api.request('POST', '/carrier/returns', {
      token: t.system,
      body: { trackingNumber: 'RR-123-NL', status: 'delivered', carrier: 'PostNL' },
    });
    expect(delivered.body.state).toContain('returnLeg.awaitingSellerConfirmation');
    expect(delivered.body.context.returnShipment).toMatchObject({ deliveryReportedBy: 'system' });
    const confirmed = await api.request('POST', `/disputes/${id}/events`, { token: t.seller, body: { type: 'seller.confirmReturn' } });
    expect(confirmed.body.state).toContain('settlement.requested');
  });
});

/** A one-pixel, 24-bit Windows bitmap: file header, 40-byte info header, one padded row. */
function bitmap(): Buffer {
  const bytes = Buffer.alloc(58);
  bytes.write('BM', 0, 'latin1');
  bytes.writeUInt32LE(58, 2); // file size
  bytes.writeUInt32LE(54, 10); // where the pixels start
  bytes.writeUInt32LE(40, 14); // info header size
  bytes.writeInt32LE(1, 18); // width
  bytes.writeInt32LE(1, 22); // height
  bytes.writeUInt16LE(1, 26); // colour planes
  bytes.writeUInt16LE(24, 28); // bits per pixel
  bytes.writeUInt32LE(4, 34); // pixel data size
  return bytes;
}

describe('evidence', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');
  const upload = (id: string, bytes: Uint8Array, name: string, token = t.buyer, type = 'image/png') => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(bytes)], { type }), name);
    return fetch(`${api.url}/disputes/${id}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  };

  it('R-EVID-1: images are typed by their bytes (jpg, png, gif 87a/89a, bmp), stored by content, at most 2 MB each', async () => {
    const id = await openOn('o-ev-1');
    const traversal = await upload(id, png, '../../../../etc/passwd.png');
    expect(traversal.status).toBe(201);
    const stored = ((await traversal.json()) as { evidence: { id: string; sha256: string; displayName: string; mediaType: string } }).evidence;
    expect(stored).toMatchObject({ displayName: 'passwd.png', mediaType: 'image/png', size: png.length });
    expect(existsSync(join(api.dir, 'evidence', stored.sha256.slice(0, 2), stored.sha256))).toBe(true);
    expect(readdirSync(join(api.dir, 'evidence')).every((entry) => /^[a-f0-9]{2}$/.test(entry))).toBe(true);

    const download = await fetch(`${api.url}/disputes/${id}/evidence/${stored.id}`, { headers: { authorization: `Bearer ${t.seller}` } });
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${stored.id}.png"`);
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);
    expect(
      (await fetch(`${api.url}/disputes/${id}/evidence/${stored.id}`, { headers: { authorization: `Bearer ${api.token('buyer', 'buyer-ben')}` } })).status,
    ).toBe(404);

    // Every accepted image format, whatever the name and declared type say.
    const formats: [string, Buffer][] = [
      ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, ...Buffer.from('JFIF')])],
      ['image/gif', Buffer.from('GIF87a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
      ['image/gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
      ['image/bmp', bitmap()],
    ];
    for (const [mediaType, bytes] of formats) {
      const res = await upload(id, bytes, 'file.txt', t.buyer, 'text/plain');
      expect(res.status, mediaType).toBe(201);
      expect(((await res.json()) as { evidence: { mediaType: string } }).evidence.mediaType).toBe(mediaType);
    }

    const liar = await upload(id, Buffer.from('#!/bin/sh\nrm -rf /\n'), 'holiday.png');
    expect(liar.status).toBe(415);
    expect(((await liar.json()) as { detail: string }).detail).toMatch(/jpg\/jpeg, png, gif, bmp/);
    // Exactly 2 MB is allowed; one byte more is not.
    const twoMegabytes = 2 * 1024 * 1024;
    const atCap = Buffer.concat([png, Buffer.alloc(twoMegabytes - png.length)]);
    expect((await upload(id, atCap, 'at-cap.png')).status).toBe(201);
    const big = await upload(id, Buffer.concat([atCap, Buffer.alloc(1)]), 'big.png');
    expect(big.status).toBe(413);
    expect(((await big.json()) as { detail: string }).detail).toMatch(/R-EVID-1/);
    expect((await upload(id, png, 'x.png', t.support)).status).toBe(403);
    // Evidence cannot be claimed without its bytes through the plain events endpoint.
    const bare = await api.request('POST', `/disputes/${id}/events`, { token: t.buyer, body: { type: 'evidence.add', evidenceId: 'ev_made_up' } });
    expect(bare).toMatchObject({ status: 422, body: { detail: expect.stringContaining('POST /disputes/{id}/evidence') } });
  });

  it('R-EVID-2: videos (an unboxing video) are accepted past the image cap, typed by their bytes', async () => {
    const id = await openOn('o-ev-3');
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(3 * 1024 * 1024)]);
    const res = await upload(id, mp4, 'unboxing.bin', t.buyer, 'application/octet-stream');
    expect(res.status).toBe(201);
    expect(((await res.json()) as { evidence: { mediaType: string; kind: string; size: number } }).evidence).toMatchObject({
      mediaType: 'video/mp4',
      kind: 'video',
      size: mp4.length,
    });
    // The EBML header of a WebM file (its DocType says "webm"), then the start of its segment.
    const webm = Buffer.concat([Buffer.from('1a45dfa39f4286810142f7810142f2810442f381084282847765626d428781044285810218538067', 'hex'), Buffer.alloc(64)]);
    expect((await upload(id, webm, 'clip.webm', t.seller)).status).toBe(201);
    const quicktime = Buffer.concat([Buffer.from([0, 0, 0, 0x14]), Buffer.from('ftypqt  '), Buffer.alloc(64)]);
    const mov = await upload(id, quicktime, 'clip.mov', t.seller, 'video/mp4');
    expect(((await mov.json()) as { evidence: { mediaType: string } }).evidence.mediaType).toBe('video/quicktime');
  });

  it('R-EVID-1, R-EVID-2: other formats are refused as an unsupported media type, even when they look like an accepted one', async () => {
    const id = await openOn('o-ev-4');
    const iso = (brands: string) => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from(`ftyp${brands}`), Buffer.alloc(64)]);
    const refused: [string, Buffer, string][] = [
      ['a HEIC photo (an ISO media file, like an MP4)', iso('heic\0\0\0\0mif1heic'), 'video/mp4'],
      ['M4A audio (an ISO media file, like an MP4)', iso('M4A \0\0\0\0M4A isom'), 'video/mp4'],
      ['plain text starting with "BM"', Buffer.from('BMW 320i for sale, one owner, full service history, no accidents.\n'), 'image/bmp'],
      ['a WebP image', Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(32)]), 'image/webp'],
    ];
    for (const [what, bytes, declared] of refused) {
      const res = await upload(id, bytes, `file.${declared.split('/')[1]}`, t.buyer, declared);
      expect(res.status, what).toBe(415);
      expect(res.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { type: string }).type, what).toBe('/problems/unsupported-media-type');
    }
    expect((await api.request('GET', `/disputes/${id}/evidence`, { token: t.buyer })).body.items).toEqual([]);
  });

  it('R-EVID-3: hiding keeps it in the history; parties can no longer list or fetch it, support still can; ended disputes take none', async () => {
    const id = await openOn('o-ev-2');
    const { evidence } = (await (await upload(id, png, 'photo.png')).json()) as { evidence: { id: string } };
    expect((await api.request('POST', `/disputes/${id}/evidence/${evidence.id}/hide`, { token: t.seller })).status).toBe(403);
    const hidden = await api.request('POST', `/disputes/${id}/evidence/${evidence.id}/hide`, { token: t.buyer });
    expect(hidden.body.context.hiddenEvidenceIds).toEqual([evidence.id]);
    expect((await api.request('GET', `/disputes/${id}/evidence`, { token: t.buyer })).body.items).toEqual([]);
    expect((await api.request('GET', `/disputes/${id}/evidence?includeHidden=true`, { token: t.support })).body.items).toEqual([
      expect.objectContaining({ id: evidence.id, hidden: true }),
    ]);
    for (const token of [t.buyer, t.seller]) {
      expect((await fetch(`${api.url}/disputes/${id}/evidence/${evidence.id}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    }
    expect((await fetch(`${api.url}/disputes/${id}/evidence/${evidence.id}`, { headers: { authorization: `Bearer ${t.support}` } })).status).toBe(200);
    const history = (await api.request('GET', `/disputes/${id}/history`, { token: t.buyer })).body.items.map((h: { type: string }) => h.type);
    expect(history).toEqual(['dispute.opened', 'evidence.add', 'evidence.hide']);
    await api.request('POST', `/disputes/${id}/events`, { token: t.buyer, body: { type: 'buyer.cancel' } });
    const late = await upload(id, png, 'late.png');
    expect(late.status).toBe(409);
  });
});
