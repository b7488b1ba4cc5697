/** The inspector: a page of this service (no CDN, no build step), its script and stylesheet. */
import { readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../deps.ts';
import { HttpProblem } from '../problems.ts';

const inspectorFile = (name: string) => readFileSync(new URL(`../../inspector/${name}`, import.meta.url), 'utf8');

export function inspectorRoutes() {
  const assets: Record<string, { body: string; type: string }> = {
    'inspector.js': { body: inspectorFile('inspector.js'), type: 'text/javascript; charset=utf-8' },
    'inspector.css': { body: inspectorFile('inspector.css'), type: 'text/css; charset=utf-8' },
  };
  const html = inspectorFile('index.html');
  const page = (c: Context) => {
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
    );
    c.header('Cache-Control', 'no-cache');
    return c.html(html);
  };
  return new Hono<AppEnv>()
    .get('/inspect', page)
    .get('/inspect/disputes/:id', page)
    .get('/inspect/assets/:file', (c) => {
      const asset = Object.hasOwn(assets, c.req.param('file')) ? assets[c.req.param('file')] : undefined;
      if (!asset) throw new HttpProblem('not-found', `no inspector asset ${c.req.param('file')}`);
      return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
    });
}
