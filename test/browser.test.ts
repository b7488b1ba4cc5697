/**
 * The inspector in a real browser: Debian's Chromium driven by playwright-core, at a desktop and a
 * phone size. A newcomer's whole dispute, in the inspector alone: the buyer opens it (and adds a
 * photo), the seller answers, the buyer declines and escalates, an agent decides, the admin's
 * demo clock lets the refund settle. Every page is scanned with axe-core (no serious or critical
 * violation) and photographed; screenshots and axe figures go to $ARBITER_ARTIFACTS (default:
 * arbiter-test-artifacts/ in the system's temporary folder), never into the work tree. Where
 * Chromium is absent outside CI the suite says so loudly and skips; in CI it must run.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from './support/api.ts';
import { kettles } from './support/kettle.ts';
import {
  ARTIFACTS,
  axeScan,
  CHROMIUM,
  chromiumPresent,
  launchChromium,
  overflowsSideways,
  shot,
  signedIn,
  strayWords,
  sizes,
  solidPng,
  type SizeName,
} from './support/browser.ts';

// Code given to page.evaluate runs in the browser; the suite is type-checked without the DOM library.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any, MutationObserver: any;
type Box = { left: number; right: number; top: number; bottom: number };

if (!chromiumPresent && process.env.CI) throw new Error(`${CHROMIUM} is missing in CI: .ci/run should have installed Debian's chromium`);
if (!chromiumPresent) console.warn(`\n*** browser tests SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium) ***\n`);

let api: Api;
let browser: Browser;
const figures: string[] = [];

/** Waits for what the page shows (live updates, the payment provider) without timing anything. */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000 });
const stateOf = (page: Page) => page.locator('#state').getAttribute('data-state');

const { registerOrder, openByApi, send } = kettles(() => api);

/** Scans the page, keeps the figures, and fails on any serious or critical violation. */
async function accessible(page: Page, name: string) {
  const found = await axeScan(page, name);
  figures.push(`${name}: ${JSON.stringify(found.violations)}`);
  expect(found.rules.filter((r) => r.impact === 'serious' || r.impact === 'critical')).toEqual([]);
  expect(await overflowsSideways(page), `${name} scrolls sideways`).toBe(false);
  expect(await strayWords(page), `${name} shows a missing value`).toEqual([]);
}

/** Fills and sends an event's form: `fill` gets the form, the button named by the event's label sends it. */
async function act(page: Page, label: string, fill: (form: ReturnType<Page['getByRole']>) => Promise<void> = async () => {}) {
  await page.getByRole('button', { name: label, exact: true }).click();
  const form = page.getByRole('form', { name: label });
  await fill(form);
  await form.getByRole('button', { name: label, exact: true }).click();
}

describe.skipIf(!chromiumPresent)('the inspector in Chromium', () => {
  beforeAll(async () => {
    api = await startApi();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    if (figures.length) console.log(`axe-core violations by impact (artefacts in ${ARTIFACTS}):\n${figures.join('\n')}`);
  });

  describe.each(Object.keys(sizes) as SizeName[])('a newcomer’s dispute, from opening to a settled refund (%s)', (size) => {
    const orderId = `o-newcomer-${size}`;
    const name = (step: string) => `inspector-${size}-${step}`;
    let buyer: Page;

    it('the buyer opens it from the marketplace’s link; a refused amount says why, with the rule', async () => {
      await registerOrder(orderId);
      buyer = await signedIn(browser, api, 'buyer', 'buyer-ana', `/inspect?order=${orderId}&item=kettle`, size);
      const form = buyer.getByRole('form', { name: 'Open a dispute' });
      await poll(() => form.locator('#open-item-info').textContent()).toContain('$35.00');
      expect(await form.getByLabel('Refund you ask for').inputValue()).toBe('35.00'); // in dollars, not cents
      await form.getByLabel('What went wrong').selectOption({ label: 'Damaged or does not work' });
      await form.getByLabel('What is wrong').fill('The lid hinge snapped on first use');
      await form.getByLabel('Refund you ask for').fill('99');
      await form.getByRole('button', { name: 'Open the dispute' }).click();
      await form.getByRole('alert').waitFor();
      expect(await form.getByRole('alert').textContent()).toMatch(/exceeds the item's price.*R-OPEN-7/);
      await accessible(buyer, name('1-open-refused'));
      await shot(buyer, name('1-open-refused'));
      await form.getByLabel('Refund you ask for').fill('35.00');
      await form.getByRole('button', { name: 'Open the dispute' }).click();
      await poll(() => stateOf(buyer)).toBe('negotiating.awaitingSellerResponse');
      expect(await buyer.locator('#regions').textContent()).toContain('Waiting for the seller’s answer');
      expect(await buyer.locator('#case').textContent()).toContain('The lid hinge snapped on first use');
      expect(await buyer.locator('#amount-requested').textContent()).toBe('$35.00');
      expect(await buyer.locator('#timeline').textContent()).toContain('$35.00 asked for: “The lid hinge snapped on first use”');
      expect(await buyer.locator('#forecast').textContent()).toMatch(
        /Seller’s response window \(5 days, R-NEG-1\)[\s\S]*the refund the buyer asked for executes automatically/i,
      );
      await accessible(buyer, name('2-opened'));
      await shot(buyer, name('2-opened'));
    });

    it('the buyer adds a photo: type and size checked before sending, upload with progress, a thumbnail', async () => {
      const uploads: string[] = [];
      buyer.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/evidence')) uploads.push(r.url());
      });
      await buyer.getByRole('button', { name: 'Add evidence', exact: true }).click();
      const form = buyer.getByRole('form', { name: 'Add evidence' });
      const file = form.getByLabel('Photo or video');
      await file.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
      expect(await form.getByRole('alert').textContent()).toContain('not an accepted type');
      await file.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(2 * 1024 * 1024 + 1) });
      expect(await form.getByRole('alert').textContent()).toMatch(/at most 2\.0 MB \(R-EVID-1\)/);
      await file.setInputFiles({ name: 'hinge.png', mimeType: 'image/png', buffer: solidPng(60, 40, [200, 60, 60]) });
      await form.getByAltText('Preview of hinge.png').waitFor();
      await buyer.evaluate(() => {
        const bar = document.querySelector('form[data-event="evidence.add"] progress')!;
        const seen: number[] = [];
        Object.assign(window, { progressSeen: seen });
        new MutationObserver(() => seen.push(Number(bar.value))).observe(bar, { attributes: true });
      });
      await form.getByRole('button', { name: 'Upload' }).click();
      const thumb = buyer.locator('#evidence').getByAltText('hinge.png, added by the buyer');
      await poll(() => thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(60);
      expect(uploads).toHaveLength(1); // the refused files never left the browser
      expect(await buyer.evaluate(() => window.progressSeen as number[])).toContain(100);
      await poll(() => buyer.locator('#timeline').textContent()).toContain('the file hinge.png'); // its name, not its id
      expect(await buyer.locator('#timeline').textContent()).not.toContain('ev_');
      await accessible(buyer, name('3-evidence'));
      await shot(buyer, name('3-evidence'));
    });

    it('the seller answers with a partial refund in dollars; the focus stays in what they were doing', async () => {
      const seller = await signedIn(browser, api, 'seller', 'seller-bolt', '/inspect', size);
      await seller.getByRole('link', { name: `${orderId} · kettle` }).click();
      await poll(() => stateOf(seller)).toBe('negotiating.awaitingSellerResponse');
      await accessible(seller, name('4-seller'));
      await act(seller, 'Offer a partial refund', async (form) => {
        expect(await form.textContent()).toContain('at most $34.99');
        await form.getByLabel('Partial refund offered').fill('15');
        await form.getByLabel('Note').fill('Glue fixes it');
      });
      await poll(() => stateOf(seller)).toBe('negotiating.offerPending');
      await poll(() => seller.evaluate(() => document.activeElement?.closest('#actions') !== null)).toBe(true);
      expect(await seller.locator('#timeline').textContent()).toContain('The seller seller-bolt offered a partial refund');
      await shot(seller, name('4-seller-offered'));
      await seller.context().close();
    });

    it('the buyer sees the offer as it lands, declines it and asks the platform to decide', async () => {
      await poll(() => buyer.locator('#case').textContent()).toContain(
        'The seller offers a partial refund of $15.00. No need to return the item. Note: “Glue fixes it”',
      );
      await accessible(buyer, name('5-offer'));
      await shot(buyer, name('5-offer'));
      await act(buyer, 'Decline the seller’s offer');
      await poll(() => stateOf(buyer)).toBe('negotiating.rejected');
      await act(buyer, 'Ask the platform to decide', (form) => form.getByLabel('Why the platform should decide').fill('It is broken'));
      await poll(() => stateOf(buyer)).toBe('escalated.inQueue');
      expect(await buyer.locator('#forecast').textContent()).toContain('Agent’s decision due');
    });

    it('an agent takes the case and decides a partial refund; the refund is on its way at once', async () => {
      const agent = await signedIn(browser, api, 'agent', 'agent-kim', '/inspect', size);
      await agent.getByRole('link', { name: `${orderId} · kettle` }).click();
      await act(agent, 'Take the case');
      await poll(() => stateOf(agent)).toBe('escalated.underReview');
      await act(agent, 'Decide the dispute', async (form) => {
        await form.getByLabel('Partial refund to the buyer').check();
        await form.getByLabel('Partial refund for the item').fill('25.00');
        await form.getByLabel('Reason for the decision').fill('The photo shows the broken hinge; usable with care');
      });
      await poll(() => stateOf(agent)).toBe('resolving.decision.appealWindowOpen + resolving.payout.settlement.requested');
      const regions = await agent.locator('#regions').textContent();
      expect(regions).toContain('Decision: Decided; open to appeal');
      expect(regions).toContain('Payout: Refund requested');
      expect(await agent.locator('#amount-in-progress').textContent()).toBe('$25.00');
      await accessible(agent, name('6-decided'));
      await shot(agent, name('6-decided'));
      await agent.context().close();
    });

    it('the admin moves the demo clock from the list: the refund settles, the rest goes to the seller, the buyer sees it live', async () => {
      // The list says what the refund waits for, and carries the demo clock with the demo time.
      const admin = await signedIn(browser, api, 'admin', 'admin', '/inspect', size);
      const row = admin.locator('tr', { hasText: `${orderId} · kettle` });
      expect(await row.textContent()).toMatch(/the payment provider’s settlement of the \$25\.00 refund \(refund settlement window ends .+\)/);
      const demoTime = await admin.locator('#clock-now time').getAttribute('datetime');
      await admin.getByLabel('Advance by').fill('30d');
      await admin.getByRole('button', { name: 'Advance clock' }).click();
      await poll(() => admin.locator('#clock-now time').getAttribute('datetime')).not.toBe(demoTime);
      await admin.getByRole('link', { name: `${orderId} · kettle` }).click();
      await poll(() => stateOf(admin)).toBe('resolved.refunded');
      expect(await admin.locator('#amount-refunded').textContent()).toBe('$25.00');
      expect(await admin.locator('#amount-released').textContent()).toBe('$14.00');
      await admin.context().close();
      await poll(() => stateOf(buyer)).toBe('resolved.refunded');
      expect(await buyer.locator('#regions').textContent()).toContain('Refunded');
      expect(await buyer.locator('#timeline').textContent()).toContain('settled the refund');
      expect(await buyer.locator('#forecast').textContent()).toContain('the dispute is closed');
      await accessible(buyer, name('7-refunded'));
      await shot(buyer, name('7-refunded'));
      await buyer.context().close();
    });
  });

  it('a refusal says why, with the rule and when it stopped being possible; the focus stays on the button', async () => {
    const id = await openByApi('o-late-appeal');
    await send(id, 'seller', 'seller-bolt', { type: 'seller.reject', reason: 'fine when shipped' });
    await send(id, 'buyer', 'buyer-ana', { type: 'buyer.escalate' });
    await send(id, 'agent', 'agent-kim', { type: 'agent.assign' });
    await send(id, 'agent', 'agent-kim', { type: 'agent.decide', outcome: 'seller_wins', reason: 'the photos show no damage' });
    // A page that showed "Appeal the decision" before the window closed, and did not update since.
    const buyer = await signedIn(browser, api, 'buyer', 'buyer-ana', `/inspect/disputes/${id}`, 'desktop', false);
    await buyer.getByRole('button', { name: 'Appeal the decision' }).waitFor();
    const moved = await api.request('POST', '/admin/clock/advance', { token: api.token('admin', 'admin'), body: { by: '8d' } });
    expect(moved.status).toBe(200);
    await act(buyer, 'Appeal the decision', (form) => form.getByLabel('Why the decision is wrong').fill('The hinge is broken'));
    const alert = buyer.getByRole('form', { name: 'Appeal the decision' }).getByRole('alert');
    await alert.waitFor();
    const refused = (await alert.textContent())!;
    // The closing date is said once, in the words, not again as "No longer possible since".
    expect(refused).toMatch(/appeal window closed at [^.]*\d{4}[^.]*, \d+ days after the decision\. Rule R-APL-1/);
    expect(refused).not.toMatch(/No longer possible since/);
    expect(await buyer.evaluate(() => document.activeElement?.textContent)).toBe('Appeal the decision');
    await accessible(buyer, 'inspector-desktop-8-refused');
    await shot(buyer, 'inspector-desktop-8-refused');
    await buyer.context().close();
  });

  it('the statechart pans and zooms, opens on where the dispute is, and no label covers another', async () => {
    const id = await openByApi('o-chart');
    const page = await signedIn(browser, api, 'buyer', 'buyer-ana', `/inspect/disputes/${id}`);
    const viewBox = () => page.locator('.chart-viewport svg').getAttribute('viewBox');
    const nowInView = () =>
      page.evaluate(() => {
        const box = document.querySelector('g.node.active')!.getBoundingClientRect();
        const frame = document.querySelector('.chart-viewport')!.getBoundingClientRect();
        return box.left >= frame.left && box.right <= frame.right && box.top >= frame.top && box.bottom <= frame.bottom;
      });
    await poll(() => page.locator('.chart-viewport').getAttribute('data-fitted')).toBe('true');
    expect(await nowInView()).toBe(true);
    const width = async () => Number((await viewBox())!.split(' ')[2]);
    const before = await width();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    expect(await width()).toBeLessThan(before);
    await page.getByRole('button', { name: 'Whole chart' }).click();
    expect(await width()).toBeGreaterThan(before);
    await page.locator('.chart-viewport').focus();
    await page.keyboard.press('n'); // back to now, from the keyboard
    expect(await width()).toBe(before);
    expect(await nowInView()).toBe(true);
    const overlaps = await page.evaluate(() => {
      const texts = [...document.querySelectorAll('.chart-viewport svg text')].map((t) => ({
        g: t.closest('g')!.id,
        r: t.getBoundingClientRect(),
        t: t.textContent,
      }));
      const hit = (a: Box, b: Box) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      return texts.flatMap((a, i) =>
        texts
          .slice(i + 1)
          .filter((b) => a.g !== b.g && hit(a.r, b.r))
          .map((b) => `${a.t} | ${b.t}`),
      );
    });
    expect(overlaps).toEqual([]);
    await page.context().close();
  });

  it('is operable from the keyboard alone: a seller sends a message', async () => {
    const id = await openByApi('o-keyboard');
    const page = await signedIn(browser, api, 'seller', 'seller-bolt', `/inspect/disputes/${id}`);
    await page.getByRole('button', { name: 'Send a message' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('Could you send a photo of the lid?'); // the form's first field has the focus
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await poll(() => page.locator('#timeline li[data-type="message.send"]').count()).toBe(1);
    expect(await page.locator('#timeline').textContent()).toContain('“Could you send a photo of the lid?”');
    await page.context().close();
  });

  it('a buyer’s session cannot open another buyer’s dispute', async () => {
    const id = await openByApi('o-other-buyer', 'buyer-ben');
    const page = await signedIn(browser, api, 'buyer', 'buyer-ana', `/inspect/disputes/${id}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Not found');
    expect(await page.locator('#state').count()).toBe(0);
    const list = await signedIn(browser, api, 'buyer', 'buyer-ana');
    expect(await list.getByRole('link', { name: 'o-other-buyer · kettle' }).count()).toBe(0);
    await page.context().close();
    await list.context().close();
  });

  it('the API reference renders offline under its security policy: no request leaves the service, none can', async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(api.url)) elsewhere.push(request.url());
    });
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/.test(message.text())) refused.push(message.text());
    });
    page.on('pageerror', (error) => refused.push(error.message));
    const response = await page.goto(`${api.url}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("connect-src 'self'");
    await page.getByText('Open a dispute on an order item (buyer)').first().waitFor({ timeout: 20_000 });
    expect(elsewhere).toEqual([]);
    // The page runs whole under its policy: nothing it does on its own is refused.
    expect(refused).toEqual([]);
    // And the policy is what holds: a call out of the service (Scalar's bundle knows its own
    // proxy) is refused by the browser before it is sent.
    const report = page.waitForEvent('console', (message) => message.text().includes('proxy.scalar.com'));
    const outside = await page.evaluate(() =>
      fetch('https://proxy.scalar.com/').then(
        () => 'sent',
        () => 'refused',
      ),
    );
    expect(outside).toBe('refused');
    expect((await report).text()).toMatch(/https:\/\/proxy\.scalar\.com\/[\s\S]*Content Security Policy[\s\S]*connect-src 'self'/);
    await shot(page, 'docs-offline');
    await page.close();
  });
});
