/**
 * Driving the inspector in Debian's Chromium (playwright-core): launching it, signing a party
 * in, screenshots kept as artefacts ($ARBITER_ARTIFACTS, else the system's temporary folder,
 * never the work tree), and an accessibility scan with axe-core injected into the page.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Api } from './api.ts';

// Code given to page.evaluate runs in the browser; the suite is type-checked without the DOM library.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any;

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumPresent = existsSync(CHROMIUM);
export const ARTIFACTS = process.env.ARBITER_ARTIFACTS ?? join(tmpdir(), 'arbiter-test-artifacts');

export const sizes = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
export type SizeName = keyof typeof sizes;

export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
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
}

export type Role = 'buyer' | 'seller' | 'agent' | 'admin' | 'support';

/** A fresh browser context signed in as the party, on `path` (the token in the link's fragment). */
export async function signedIn(browser: Browser, api: Api, role: Role, sub: string, path = '/inspect', size: SizeName = 'desktop', live = true): Promise<Page> {
  const context = await browser.newContext({ viewport: sizes[size] });
  const page = await context.newPage();
  // A page that must not update by itself (to act on what it showed) gets an inert EventSource.
  if (!live)
    await page.addInitScript(() =>
      Object.assign(window, {
        EventSource: class {
          addEventListener() {}
          close() {}
        },
      }),
    );
  await page.goto(`${api.url}${path}#token=${api.token(role, sub)}`);
  await page.getByText(`Signed in as ${role} ${sub}`).waitFor();
  return page;
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFigures {
  page: string;
  violations: Record<'minor' | 'moderate' | 'serious' | 'critical', number>;
  rules: { id: string; impact: string; nodes: number }[];
}

/** Runs axe-core in the page; the figures (violations by impact) are written beside the screenshots. */
export async function axeScan(page: Page, name: string): Promise<AxeFigures> {
  // page.addScriptTag would add an inline <script>, which the inspector's Content-Security-Policy
  // refuses (as it should); the same file is evaluated through the DevTools protocol instead.
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const result = (await window.axe.run(document, { resultTypes: ['violations'] })) as { violations: { id: string; impact: string; nodes: unknown[] }[] };
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  const violations = { minor: 0, moderate: 0, serious: 0, critical: 0 };
  for (const v of found) violations[v.impact as keyof typeof violations] += v.nodes;
  const figures = { page: name, violations, rules: found };
  writeFileSync(join(ARTIFACTS, `axe-${name}.json`), JSON.stringify(figures, null, 2));
  return figures;
}

/** Whether the page scrolls sideways (it must not, at any width). */
export const overflowsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

/** Words a template leaks when a value is missing: "null", "undefined" or "NaN" as visible text. */
export const strayWords = (page: Page): Promise<string[]> => page.evaluate(() => (document.body.innerText as string).match(/\b(null|undefined|NaN)\b/g) ?? []);

/** A real PNG of one colour, so the browser can draw its thumbnail. */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
