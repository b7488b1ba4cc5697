/** The API reference page: Scalar's standalone bundle from node_modules, so it works offline. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let scalar: string | undefined;

export function scalarScript(): string {
  scalar ??= readFileSync(require.resolve('@scalar/api-reference/browser/standalone.js'), 'utf8');
  return scalar;
}

export function docsPage(): string {
  // No fonts, telemetry or AI agent: each would call out of the service, and the page must work offline.
  const config = JSON.stringify({ url: '/openapi.json', withDefaultFonts: false, hideClientButton: false, telemetry: false, agent: { disabled: true } });
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Arbiter API</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="/docs/scalar.js"></script>
    <script>Scalar.createApiReference('#app', ${config});</script>
  </body>
</html>`;
}
