/**
 * Security: a full disk and a read-only one, for real. The database lives on a small tmpfs this
 * test mounts (it needs root, as CI runs); the disk is filled, then remounted read-only. Writes
 * answer 503 problems and /readyz says not ready; nothing acknowledged is lost (checked after a
 * SIGKILL and a restart too); once space returns, the same process writes again, no restart.
 * A read-only disk refuses start-up by name, and loses nothing.
 * Where mounting is impossible (not root) the test is skipped with a loud line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSqliteStore } from '../db/sqlite/index.ts';
import { verifyStore } from '../server/cli/verify.ts';
import { spawnTs } from './support/processes.ts';
import { spawnService, until, type SpawnedService } from './support/spawned.ts';

const mountPoint = mkdtempSync(join(tmpdir(), 'arbiter-tmpfs-'));
const mounted = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!mounted && process.env.CI) throw new Error('cannot mount a tmpfs for the full-disk test: CI runs as root');
if (!mounted) console.warn('\n*** full-disk test SKIPPED: mounting a tmpfs needs root ***\n');

const dbPath = join(mountPoint, 'arbiter.db');
const env = { ARBITER_DB: dbPath, ARBITER_READY_MIN_FREE_MB: '1', ARBITER_RATE_LIMITS: 'off' };
let svc: SpawnedService;
const acked: string[] = [];
let fillers = 0;

beforeAll(async () => {
  if (mounted) svc = await spawnService(env);
});
afterAll(async () => {
  await svc?.stop();
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

const DAY = 86_400_000;
async function write(i: number) {
  const json = (role: 'system' | 'buyer', sub: string) => ({ authorization: `Bearer ${svc.token(role, sub)}`, 'content-type': 'application/json' });
  const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  const order = {
    buyerId: 'buyer-ana',
    sellerId: 'seller-bolt',
    currency: 'USD',
    paymentMethod: 'card',
    items: [{ itemId: 'i', price: 4000, shippedAt: iso(-12), deliveryWindowEndsAt: iso(18) }],
  };
  const registered = await fetch(`${svc.url}/orders/o-${i}`, { method: 'PUT', headers: json('system', 'shop'), body: JSON.stringify(order) });
  if (registered.status !== 200) return registered;
  const body = { orderId: `o-${i}`, itemId: 'i', type: 'refund_only', reason: 'damaged_or_defective', description: 'x'.repeat(3000), amount: 4000 };
  const opened = await fetch(`${svc.url}/disputes`, { method: 'POST', headers: json('buyer', 'buyer-ana'), body: JSON.stringify(body) });
  if (opened.status === 201) acked.push(((await opened.clone().json()) as { id: string }).id);
  return opened;
}

/** Writes until the database refuses; every refusal must be a 503 problem with Retry-After. */
async function writeUntilRefused(from: number) {
  for (let i = from; i < from + 400; i += 1) {
    const res = await write(i);
    if (res.status === 200 || res.status === 201) continue;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await res.json()).toMatchObject({ type: '/problems/unavailable' });
    return i;
  }
  throw new Error('the database never refused a write');
}

const readyStatus = async () => (await fetch(`${svc.url}/readyz`)).status;

it.skipIf(!mounted)('a full disk: 503 problems, nothing acknowledged lost, writes again once space returns', async () => {
  expect(await readyStatus()).toBe(200);
  await write(0);
  try {
    for (;;) writeFileSync(join(mountPoint, `filler-${fillers++}`), Buffer.alloc(64 * 1024));
  } catch {
    // ENOSPC: the disk is full
  }
  const refusedAt = await writeUntilRefused(1);
  expect(await readyStatus()).toBe(503);
  for (let i = 0; i < fillers; i += 1) rmSync(join(mountPoint, `filler-${i}`), { force: true });
  await until(async () => (await readyStatus()) === 200, 100); // the same process, no restart
  expect((await write(refusedAt)).status).toBe(201);
});

it.skipIf(!mounted)('every acknowledged dispute is there, also after a SIGKILL and a restart', async () => {
  const support = { authorization: `Bearer ${svc.token('support', 'sam')}` };
  for (const id of acked) expect((await fetch(`${svc.url}/disputes/${id}`, { headers: support })).status).toBe(200);
  await svc.stop(); // SIGKILL
  const store = await openSqliteStore({ path: dbPath });
  try {
    for (const id of acked) expect(await store.getDispute(id), id).toBeDefined();
    expect((await verifyStore(store)).divergences).toEqual([]);
  } finally {
    await store.close();
  }
  svc = await spawnService(env);
  for (const id of acked)
    expect((await fetch(`${svc.url}/disputes/${id}`, { headers: { authorization: `Bearer ${svc.token('support', 'sam')}` } })).status).toBe(200);
});

// The kernel refuses to remount a filesystem read-only while files on it are open for writing
// (EBUSY), so a live flip cannot be made for real: the service is stopped first, as an operator's
// remount would need. It must refuse to start on a read-only database, naming it, and start with
// everything there once the disk is writable again.
it.skipIf(!mounted)('a read-only disk: start-up refused with one line naming ARBITER_DB; nothing lost once writable', async () => {
  await svc.stop();
  execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
  try {
    const refused = spawnTs('server/main.ts', [], { ...env, PORT: '0', ARBITER_MODE: 'demo' });
    expect((await refused.exited).code).toBe(2);
    expect(refused.stderr().trim()).toMatch(/^invalid configuration: ARBITER_DB: .* cannot be read and written[^\n]*$/);
  } finally {
    execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
  }
  svc = await spawnService(env);
  const support = { authorization: `Bearer ${svc.token('support', 'sam')}` };
  for (const id of acked) expect((await fetch(`${svc.url}/disputes/${id}`, { headers: support })).status).toBe(200);
  expect((await write(3000)).status).toBe(201);
});
