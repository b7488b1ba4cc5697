/**
 * The inspector: a page of this service (no CDN, no build step), its scripts (plain ES modules the
 * browser loads one by one) and its stylesheet, every file of server/inspector/ read once at start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../deps.ts';
import { HttpProblem } from '../problems.ts';

const folder = new URL('../../inspector/', import.meta.url);
const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** The scripts and stylesheet, by file name; nothing else in the folder is served. */
function loadAssets(): Map<string, { body: string; type: string }> {
  const assets = new Map<string, { body: string; type: string }>();
  for (const name of readdirSync(folder)) {
    const type = types[name.split('.').pop() ?? ''];
    if (type && /^[a-z][a-z0-9-]*\.(js|css)$/.test(name)) assets.set(name, { body: readFileSync(new URL(name, folder), 'utf8'), type });
  }
  return assets;
}

export function inspectorRoutes() {
  const assets = loadAssets();
  const html = readFileSync(new URL('index.html', folder), 'utf8');
  const page = (c: Context) => {
    // blob: lets the evidence form preview a picture before it is sent; nothing leaves the service.
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
    );
    c.header('Cache-Control', 'no-cache');
    return c.html(html);
  };
  return new Hono<AppEnv>()
    .get('/inspect', page)
    .get('/inspect/disputes/:id', page)
    .get('/inspect/assets/:file', (c) => {
      const asset = assets.get(c.req.param('file'));
      if (!asset) throw new HttpProblem('not-found', `no inspector asset ${c.req.param('file')}`);
      return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
    });
}
