/**
 * The service process: configuration from the environment (validated once), the durable
 * runtime and its scheduler, and the HTTP API. `--demo` (what `npm start` passes) defaults to
 * demo mode: seeded disputes, printed tokens and a controllable clock. SIGTERM / SIGINT stop it
 * gracefully: no new requests, in-flight ones finish, the database closes.
 */
import { ConfigError, loadConfig } from './config.ts';
import { seedDemo, demoParties } from './cli/demo-seed.ts';
import { startHttp } from './http/serve.ts';
import { mintToken } from './auth/tokens.ts';
import { resolveKeys } from './auth/keys.ts';
import { startService } from './service.ts';

try {
  const config = loadConfig(process.env, { mode: process.argv.includes('--demo') ? 'demo' : 'production' });
  const keys = resolveKeys(config);
  const service = await startService(config);
  const seeded = config.mode === 'demo' ? await seedDemo(service) : [];
  const http = await startHttp(service, keys);

  const shutdown = (signal: string) => {
    console.log(`arbiter: ${signal}, stopping`);
    http.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));

  if (config.mode === 'demo') printDemo(http.url, keys, seeded.length);
  // Printed once the handlers are in place: a supervisor may stop us as soon as it reads this.
  console.log(
    `arbiter: ready at ${http.url} (${config.mode} mode, database ${config.dbPath}, durability ${config.durability}, clock ${config.clock}, ${service.scheduler.firedTotal} deadlines caught up)`,
  );
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`arbiter: ${(error as Error).message}: another process uses that port; set PORT to a free one (PORT=0 picks any)`);
    process.exit(1);
  }
  throw error;
}

function printDemo(url: string, keys: Parameters<typeof mintToken>[0], seeded: number) {
  const days30 = 30 * 86_400;
  const lines = [
    '',
    `Arbiter demo${seeded ? ` (seeded ${seeded} disputes)` : ''}`,
    `  API docs     ${url}/docs`,
    `  OpenAPI      ${url}/openapi.json`,
    `  Statechart   ${url}/machines/dispute`,
    `  Health       ${url}/healthz`,
    `  Inspector    ${url}/inspect  (sign-in links below)`,
    '',
    'Demo tokens (valid 30 days). Paste these lines into another shell to follow the README walk-through:',
    `export BASE=${url}`,
    ...Object.values(demoParties).map((p) => `export ${p.variable}=${mintToken(keys, { role: p.role, sub: p.sub }, days30)}   # ${p.role} ${p.sub}`),
    '',
    'Inspector sign-in links (open one in a browser; the token becomes a cookie session):',
    ...Object.values(demoParties).map(
      (p) => `  ${`${p.role} ${p.sub}`.padEnd(22)} ${url}/inspect#token=${mintToken(keys, { role: p.role, sub: p.sub }, days30)}`,
    ),
    '',
  ];
  console.log(lines.join('\n'));
}
