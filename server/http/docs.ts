/** The API reference page: Scalar's standalone bundle from node_modules, so it works offline. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let scalar: string | undefined;

export function scalarScript(): string {
  scalar ??= readFileSync(require.resolve('@scalar/api-reference/browser/standalone.js'), 'utf8');
  return scalar;
}

// The page's one inline script: it starts Scalar on the OpenAPI document. No fonts, telemetry or
// AI agent: each would call out of the service, and the page must work offline.
const config = JSON.stringify({ url: '/openapi.json', withDefaultFonts: false, hideClientButton: false, telemetry: false, agent: { disabled: true } });
const startScript = `Scalar.createApiReference('#app', ${config});`;

/**
 * What the page may load and call: this service only. Scalar's bundle knows a proxy, an API and
 * font hosts of its own; the policy makes sure none is ever reached (the browser refuses it), so
 * "Try it" calls this service and nothing else. The inline start script is allowed by its hash.
 */
export const docsSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'sha256-${createHash('sha256').update(startScript).digest('base64')}'`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export const docsPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Arbiter API</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="/docs/scalar.js"></script>
    <script>${startScript}</script>
  </body>
</html>`;
