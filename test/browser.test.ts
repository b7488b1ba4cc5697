/**
 * The inspector in a real browser: Debian's Chromium driven by playwright-core. Screenshots go to
 * $ARBITER_ARTIFACTS (default: arbiter-test-artifacts/ in the system's temporary folder), never
 * into the work tree. Where Chromium is absent outside CI the suite says so loudly and skips; in CI
 * (.ci/run installs it) it must run.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from './support/api.ts';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present && process.env.CI) throw new Error(`${CHROMIUM} is missing in CI: .ci/run should have installed Debian's chromium`);
if (!present) console.warn(`\n*** browser tests SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium) ***\n`);

const ARTIFACTS = process.env.ARBITER_ARTIFACTS ?? join(tmpdir(), 'arbiter-test-artifacts');
const DAY = 86_400_000;
let api: Api;
let browser: Browser;

async function registerAndOpen(orderId: string, buyer: string) {
  const now = Date.parse(api.service.clock.now());
  await api.request('PUT', `/orders/${orderId}`, {
    token: api.token('system', 'marketplace'),
    body: {
      buyerId: buyer,
      sellerId: 'seller-bolt',
      currency: 'USD',
      paymentMethod: 'card',
      items: [
        {
          itemId: 'lamp',
          price: 3000,
          shippingCost: 300,
          shippedAt: new Date(now - 12 * DAY).toISOString(),
          deliveryWindowEndsAt: new Date(now + 18 * DAY).toISOString(),
        },
      ],
    },
  });
  const opened = await api.request('POST', '/disputes', {
    token: api.token('buyer', buyer),
    body: { orderId, itemId: 'lamp', type: 'refund_only', reason: 'damaged_or_defective', description: 'Cracked shade', amount: 3000 },
  });
  expect(opened.status).toBe(201);
  return opened.body.id as string;
}

async function signedInPage(role: 'buyer' | 'seller' | 'agent' | 'admin', sub: string, path = '/inspect'): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${api.url}${path}#token=${api.token(role, sub)}`);
  await page.getByText(`Signed in as ${role} ${sub}`).waitFor();
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

describe.skipIf(!present)('the inspector in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    api = await startApi();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('signs in, finds a dispute, reads its state, sends an allowed event with the buttons', async () => {
    const id = await registerAndOpen('o-browser-1', 'buyer-ana');
    const page = await signedInPage('seller', 'seller-bolt');
    await page.getByRole('link', { name: 'o-browser-1 · lamp' }).click();
    await expect.poll(() => page.locator('#state').textContent()).toBe('negotiating.awaitingSellerResponse');
    await expect.poll(() => page.locator('.diagram svg').count()).toBe(1);
    expect(await page.locator('.diagram').textContent()).toContain('▶ now');
    await shot(page, '1-dispute-awaiting-seller');

    await page.getByRole('button', { name: 'seller.counterOffer' }).click();
    const form = page.getByRole('form', { name: 'seller.counterOffer' });
    await form.getByLabel(/^amount/).fill('1200');
    await form.getByRole('button', { name: 'Send seller.counterOffer' }).click();
    await expect.poll(() => page.locator('#state').textContent()).toBe('negotiating.offerPending');
    await expect.poll(() => page.locator('#timeline li[data-type="seller.counterOffer"]').count()).toBe(1);
    await shot(page, '2-after-counter-offer');

    // A required field left empty is caught by the form before anything is sent (an API
    // refusal shown as its problem is checked when a buyer opens a dispute, below).
    await page.getByRole('button', { name: 'message.send' }).click();
    await page.getByRole('form', { name: 'message.send' }).getByRole('button', { name: 'Send message.send' }).click();
    expect(await page.getByRole('form', { name: 'message.send' }).locator('input:invalid, textarea:invalid').count()).toBe(1);
    expect(await page.locator('#timeline li[data-type="message.send"]').count()).toBe(0);
    expect(id).toMatch(/^dsp_/);
  });

  it('updates by itself when another client changes the dispute', async () => {
    const id = await registerAndOpen('o-browser-2', 'buyer-ana');
    const page = await signedInPage('buyer', 'buyer-ana', `/inspect/disputes/${id}`);
    await expect.poll(() => page.locator('#state').textContent()).toBe('negotiating.awaitingSellerResponse');
    await expect.poll(() => page.locator('body').getAttribute('data-live')).toBe('on');
    const sent = await api.request('POST', `/disputes/${id}/events`, {
      token: api.token('seller', 'seller-bolt'),
      body: { type: 'seller.reject', reason: 'Worked when shipped' },
    });
    expect(sent.status).toBe(200);
    await expect.poll(() => page.locator('#state').textContent(), { timeout: 10_000 }).toBe('negotiating.rejected');
    await expect.poll(() => page.locator('#timeline li[data-type="seller.reject"]').count()).toBe(1);
    await shot(page, '3-live-update');
  });

  it('the demo clock moves and a deadline fires on screen', async () => {
    const id = await registerAndOpen('o-browser-3', 'buyer-ana');
    const page = await signedInPage('admin', 'admin', `/inspect/disputes/${id}`);
    await expect.poll(() => page.locator('#state').textContent()).toBe('negotiating.awaitingSellerResponse');
    await page.getByLabel('Advance by (e.g. 6d, 12h)').fill('6d');
    await page.getByRole('button', { name: 'Advance clock' }).click();
    await expect.poll(() => page.locator('#state').textContent(), { timeout: 10_000 }).toContain('resolving');
    await expect.poll(() => page.locator('#timeline li[data-type="deadline.sellerResponse"]').count()).toBe(1);
    await shot(page, '4-deadline-fired');
  });

  it('a buyer opens a dispute from the list; a refused opening shows the rule', async () => {
    const now = Date.parse(api.service.clock.now());
    await api.request('PUT', '/orders/o-browser-5', {
      token: api.token('system', 'marketplace'),
      body: {
        buyerId: 'buyer-ana',
        sellerId: 'seller-bolt',
        currency: 'USD',
        paymentMethod: 'card',
        items: [
          { itemId: 'mug', price: 1500, shippedAt: new Date(now - 12 * DAY).toISOString(), deliveryWindowEndsAt: new Date(now + 18 * DAY).toISOString() },
        ],
      },
    });
    const page = await signedInPage('buyer', 'buyer-ana');
    await page.getByText('Open a dispute on an order item').click();
    const form = page.getByRole('form', { name: 'Open a dispute' });
    await form.getByLabel('Order id (required)').fill('o-browser-5');
    await form.getByLabel('Item id (required)').fill('mug');
    await form.getByLabel('Reason').selectOption('damaged_or_defective');
    await form.getByLabel('What is wrong (required)').fill('The handle came off');
    await form.getByLabel(/^Refund requested/).fill('9999');
    await form.getByRole('button', { name: 'Open the dispute' }).click();
    await form.getByRole('alert').waitFor();
    expect(await form.getByRole('alert').textContent()).toContain('R-OPEN-7');
    await form.getByLabel(/^Refund requested/).fill('1500');
    await form.getByRole('button', { name: 'Open the dispute' }).click();
    await expect.poll(() => page.locator('#state').textContent(), { timeout: 10_000 }).toBe('negotiating.awaitingSellerResponse');
    await shot(page, '6-opened-by-buyer');
  });

  it('the API reference renders offline: no request leaves the service', async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(api.url)) elsewhere.push(request.url());
    });
    await page.goto(`${api.url}/docs`);
    await page.getByText('Open a dispute on an order item (buyer)').first().waitFor({ timeout: 20_000 });
    expect(elsewhere).toEqual([]);
    await shot(page, '7-docs-offline');
  });

  it('a buyer’s session cannot open another buyer’s dispute', async () => {
    const id = await registerAndOpen('o-browser-4', 'buyer-ben');
    const page = await signedInPage('buyer', 'buyer-ana', `/inspect/disputes/${id}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Not found');
    expect(await page.locator('#state').count()).toBe(0);
    const list = await signedInPage('buyer', 'buyer-ana');
    expect(await list.getByRole('link', { name: 'o-browser-4 · lamp' }).count()).toBe(0);
    await shot(page, '5-not-yours');
  });
});
