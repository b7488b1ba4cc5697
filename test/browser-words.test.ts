/**
 * What a support agent or a buyer reads in the inspector, in Debian's Chromium: explanations in
 * the dispute's own policy numbers (never a setting's name), a refusal's dates and choices in
 * words, and a parallel state's chart fitted so its labels stay readable at a desktop and a phone
 * size. Skipped loudly where Chromium is absent outside CI, as test/browser.test.ts is.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from './support/api.ts';
import { kettles } from './support/kettle.ts';
import { CHROMIUM, chromiumPresent, launchChromium, shot, signedIn, sizes, type SizeName } from './support/browser.ts';
import { settingsShown } from './support/policy-settings.ts';

// Code given to page.evaluate runs in the browser; the suite is type-checked without the DOM library.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;

if (!chromiumPresent && process.env.CI) throw new Error(`${CHROMIUM} is missing in CI: .ci/run should have installed Debian's chromium`);

let api: Api;
let browser: Browser;
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000 });

const { registerOrder, openByApi, send } = kettles(() => api);

/** Decided for the seller: a parallel state (the decision open to appeal, and the payout). */
async function decided(orderId: string) {
  const id = await openByApi(orderId);
  await send(id, 'seller', 'seller-bolt', { type: 'seller.reject', reason: 'fine when shipped' });
  await send(id, 'buyer', 'buyer-ana', { type: 'buyer.escalate' });
  await send(id, 'agent', 'agent-kim', { type: 'agent.assign' });
  await send(id, 'agent', 'agent-kim', { type: 'agent.decide', outcome: 'seller_wins', reason: 'the photos show no damage' });
  return id;
}

/** Every explanation the dispute page shows: where it stands, the forecast, the deadlines, the actions, the chart. */
const explanations = (page: Page) =>
  page.evaluate(() =>
    ['#standing', '#forecast', '#deadlines-now', '#actions', '#case', '.chart-viewport svg']
      .map((s) => document.querySelector(s)?.textContent ?? '')
      .join('\n'),
  );

describe.skipIf(!chromiumPresent)('the inspector’s words, in Chromium', () => {
  beforeAll(async () => {
    api = await startApi();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('a dispute’s explanations carry its own policy’s numbers, never a setting’s name', async () => {
    const id = await openByApi('o-words-open');
    const page = await signedIn(browser, api, 'buyer', 'buyer-ana', `/inspect/disputes/${id}`);
    await page.locator('.chart-viewport[data-fitted="true"]').waitFor();
    expect(await page.locator('#regions').textContent()).toContain('The seller has 5 days to answer; silence refunds as requested (R-NEG-1)');
    const words = await explanations(page);
    expect(words).toContain('after 5 days (R-NEG-1)'); // the chart's deadline edge
    expect(settingsShown(words)).toEqual([]);
    await page.context().close();

    const later = await decided('o-words-decided');
    const agent = await signedIn(browser, api, 'agent', 'agent-kim', `/inspect/disputes/${later}`);
    await agent.locator('.chart-viewport[data-fitted="true"]').waitFor();
    expect(await agent.locator('#regions').textContent()).toContain('it may be appealed until 7 days after it');
    expect(settingsShown(await explanations(agent))).toEqual([]);
    await agent.context().close();
  });

  it('a refusal shows its dates in local words, its choices by their labels, in sentences', async () => {
    await registerOrder('o-words-early', { shippedDaysAgo: 2 });
    const page = await signedIn(browser, api, 'buyer', 'buyer-ana', '/inspect?order=o-words-early&item=kettle');
    const form = page.getByRole('form', { name: 'Open a dispute' });
    await form.getByLabel('What went wrong').selectOption({ label: 'The item never arrived' });
    await form.getByLabel('What is wrong').fill('Nothing came');
    await form.getByRole('button', { name: 'Open the dispute' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent())!;
    expect(text).toMatch(/“The item never arrived” disputes open 11 days after shipping: earliest [^.]*\d{4}[^.]*\. Rule R-OPEN-1\./);
    // The date is said once: the words give it, so no "Possible from" repeats it.
    expect(text).not.toMatch(/Possible from/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T|not_received/);
    await page.context().close();
  });

  it.each(Object.keys(sizes) as SizeName[])('a parallel state’s chart opens fitted with readable labels, its states listed (%s)', async (size) => {
    const id = await decided(`o-words-parallel-${size}`);
    const page = await signedIn(browser, api, 'agent', 'agent-kim', `/inspect/disputes/${id}`, size);
    await page.locator('.chart-viewport[data-fitted="true"]').waitFor();
    expect(await page.locator('#state li').allTextContents()).toEqual(['resolving.decision.appealWindowOpen', 'resolving.payout.upToDate']);
    const label = () =>
      page.evaluate(() => {
        const frame = document.querySelector('.chart-viewport').getBoundingClientRect();
        const text = document.querySelector('g.node.active text').getBoundingClientRect();
        return { height: text.height, inView: text.left >= frame.left && text.right <= frame.right && text.top >= frame.top && text.bottom <= frame.bottom };
      });
    const fitted = await label();
    expect(fitted.height, `the current state's label is ${fitted.height} px high`).toBeGreaterThanOrEqual(10);
    expect(fitted.inView).toBe(true);
    await page.getByRole('button', { name: 'Whole chart' }).click();
    await page.getByRole('button', { name: 'Where it is now' }).click();
    await poll(async () => (await label()).height).toBeGreaterThanOrEqual(10);
    await shot(page, `inspector-${size}-parallel-fitted`);
    await page.context().close();
  });
});
