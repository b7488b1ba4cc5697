/**
 * The inspector's pages as each party first sees them, in Chromium over the demo's seeded data
 * (what `npm start` seeds): the sign-in page and every role's list, scanned with axe-core (no
 * serious or critical violation), photographed, and free of stray "null" / "undefined" / "NaN";
 * the buyer's opening form offering the items she may still dispute; the admin's demo clock on
 * the list. Artefacts go where test/browser.test.ts puts them ($ARBITER_ARTIFACTS).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disputableByBuyer, seedDemo } from '../server/cli/demo-seed.ts';
import { startApi, type Api } from './support/api.ts';
import { axeScan, chromiumPresent, launchChromium, overflowsSideways, shot, signedIn, sizes, strayWords, type Role, type SizeName } from './support/browser.ts';

let api: Api;
let browser: Browser;

async function checked(page: Page, name: string) {
  const found = await axeScan(page, name);
  expect(found.rules.filter((r) => r.impact === 'serious' || r.impact === 'critical')).toEqual([]);
  expect(await overflowsSideways(page), `${name} scrolls sideways`).toBe(false);
  expect(await strayWords(page), `${name} shows a missing value`).toEqual([]);
  await shot(page, name);
}

describe.skipIf(!chromiumPresent)('the inspector’s first pages, over the demo data', () => {
  beforeAll(async () => {
    api = await startApi();
    await seedDemo(api.service);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('the demo start-up output names the items each buyer may dispute', async () => {
    const lines = await disputableByBuyer(api.service);
    expect(lines.find((l) => l.includes('buyer-ana'))).toMatch(/order-1001 · scarf$/);
    expect(lines.find((l) => l.includes('buyer-ben'))).toMatch(/none$/);
  });

  it('the sign-in page', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.url}/inspect`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await checked(page, 'inspector-desktop-0-sign-in');
    await page.close();
  });

  const parties: [Role, string][] = [
    ['buyer', 'buyer-ana'],
    ['seller', 'seller-bolt'],
    ['agent', 'agent-kim'],
    ['support', 'support-sam'],
    ['admin', 'admin'],
  ];
  describe.each(Object.keys(sizes) as SizeName[])('every role’s list (%s)', (size) => {
    it.each(parties)('%s %s', { timeout: 60_000 }, async (role, sub) => {
      const page = await signedIn(browser, api, role, sub, '/inspect', size);
      await page.getByRole('heading', { name: 'Disputes', level: 1 }).waitFor();
      if (role !== 'buyer') await page.locator('table.disputes').waitFor(); // each sees some of the seeded disputes
      await checked(page, `inspector-${size}-list-${role}`);
      await page.context().close();
    });
  });

  it('the buyer chooses among the items she may still dispute; the form speaks to her and shows what applies', async () => {
    const page = await signedIn(browser, api, 'buyer', 'buyer-ana');
    await page.getByText('Open a dispute on an item you bought').click();
    const form = page.getByRole('form', { name: 'Open a dispute' });
    const choice = form.getByLabel('Item you bought');
    // Of her three items, the jacket and the headphones have disputes already (R-OPEN-3).
    expect(await choice.locator('option').allTextContents()).toEqual(['order-1001 · scarf — $12.00 + $5.00 shipping']);
    expect(await form.locator('#open-item-info').textContent()).toContain('This item cost $12.00 plus $5.00 shipping');
    expect(await form.getByLabel('Refund you ask for').inputValue()).toBe('12.00');
    const helps = await form.locator('.help').allTextContents();
    expect(helps.filter((t) => /^R-[A-Z]+-\d/.test(t))).toEqual([]); // the words first, the rule after them
    expect(helps.join(' ')).not.toContain('minor units');
    expect(helps.join(' ')).toContain('You state the item cannot be used at all');
    expect(await form.locator('#open-reason-help').textContent()).toMatch(/^Why you open the dispute R-OPEN-6$/);
    const detail = form.getByRole('group', { name: 'How it differs from the listing' });
    await form.getByLabel('What went wrong').selectOption({ label: 'Damaged or does not work' });
    expect(await detail.isVisible()).toBe(false);
    await form.getByLabel('What went wrong').selectOption('not_as_described');
    expect(await detail.isVisible()).toBe(true);
    await detail.getByLabel('Wrong colour or size').check();
    await form.getByLabel('What went wrong').selectOption({ label: 'Damaged or does not work' });
    await form.getByLabel('What is wrong').fill('A hole in the wool');
    await form.getByLabel('Also refund the shipping cost').check(); // with the full price: $12.00 + $5.00
    await form.getByRole('button', { name: 'Open the dispute' }).click(); // the hidden detail is not sent (R-OPEN-6 would refuse it)
    await page.locator('#state').waitFor();
    expect(await page.locator('h1').textContent()).toContain('order-1001 · scarf');
    expect(await page.locator('#amount-requested').textContent()).toBe('$17.00');
    expect(await page.locator('#timeline').textContent()).toContain('$17.00 (shipping included) asked for'); // the case's total
    await page.goto(`${api.url}/inspect`);
    await page.getByText('Open a dispute on an item you bought').click();
    expect(await page.getByText('None of your order items may be disputed now').count()).toBe(1);
    expect(await strayWords(page)).toEqual([]);
    await page.context().close();
  });

  it('a partial refund without an amount is refused in words, with no made-up rule', async () => {
    const page = await signedIn(browser, api, 'agent', 'agent-kim');
    await page.getByRole('link', { name: 'order-1002 · headphones' }).click();
    await page.getByRole('button', { name: 'Take the case', exact: true }).click();
    await page.getByRole('form', { name: 'Take the case' }).getByRole('button', { name: 'Take the case', exact: true }).click();
    await page.getByRole('button', { name: 'Decide the dispute', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Decide the dispute', exact: true }).click();
    const form = page.getByRole('form', { name: 'Decide the dispute' });
    await form.getByLabel('Partial refund to the buyer').check();
    await form.getByLabel('Reason for the decision').fill('Half of it works');
    await form.getByRole('button', { name: 'Decide the dispute', exact: true }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/a partial refund needs an amount/i);
    expect(await alert.textContent()).not.toMatch(/Rule|EVENT/);
    await checked(page, 'inspector-desktop-9-decide-refused');
    await page.context().close();
  });

  it('GET /orders/disputable: a buyer sees only her own items; it is for buyers only', async () => {
    const ben = await api.request('GET', '/orders/disputable', { token: api.token('buyer', 'buyer-ben') });
    expect(ben.status).toBe(200);
    expect(ben.body.items).toEqual([]); // his lamp and charger are disputed; ana's items are not his
    expect((await api.request('GET', '/orders/disputable', { token: api.token('seller', 'seller-bolt') })).status).toBe(403);
    expect((await api.request('GET', '/orders/disputable')).status).toBe(401);
  });

  it('the admin’s demo clock is on the list too, with the demo time now', async () => {
    const page = await signedIn(browser, api, 'admin', 'admin');
    const now = page.locator('#clock-now time');
    const before = Date.parse((await now.getAttribute('datetime'))!);
    expect(Number.isNaN(before)).toBe(false);
    expect(await now.textContent()).not.toBe(''); // the instant in words
    await page.getByLabel('Advance by').fill('2d');
    await page.getByRole('button', { name: 'Advance clock' }).click();
    await expect
      .poll(async () => Date.parse((await page.locator('#clock-now time').getAttribute('datetime'))!), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(before + 2 * 86_400_000);
    await page.context().close();
  });
});
