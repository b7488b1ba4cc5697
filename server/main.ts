/**
 * The service process: configuration from the environment (validated once), the durable
 * runtime and its scheduler, and the HTTP API. `--demo` (what `npm start` passes) defaults to
 * demo mode: seeded disputes, printed tokens and a controllable clock. SIGTERM / SIGINT stop it
 * gracefully: no new requests, in-flight ones finish, the database closes.
 */
import { configHelp, ConfigError, loadConfig } from './config.ts';
import { disputableByBuyer, seedDemo, demoParties } from './cli/demo-seed.ts';
import { startHttp } from './http/serve.ts';
import { mintToken } from './auth/tokens.ts';
import { createSessions } from './auth/sessions.ts';
import { resolveKeys } from './auth/keys.ts';
import { startService } from './service.ts';

const usage = `usage: npm start            the service in demo mode (seeded disputes, printed tokens and sign-in links)
       node --import tsx server/main.ts   the service, in production mode unless ARBITER_MODE=demo

Configured by environment variables (an unknown ARBITER_* variable stops start-up):
`;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`${usage}\n${configHelp()}`);
  process.exit(0);
}

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

  if (config.mode === 'demo') await printDemo(http.url, keys, service, seeded.length);
  // Printed once the handlers are in place: a supervisor may stop us as soon as it reads this.
  console.log(
    `arbiter: ready at ${http.url} (${config.mode} mode, database ${config.dbPath}, durability ${config.durability}, clock ${config.clock}, ${service.scheduler.firedTotal} deadlines caught up)`,
  );
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    console.error(`arbiter: ${(error as Error).message}: another process uses that port; set PORT to a free one (PORT=0 picks any)`);
    process.exit(1);
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EACCES') {
    // The host or port is well-formed but cannot be listened on here.
    console.error(`invalid configuration: ARBITER_HOST / PORT: cannot listen there (${code}); expected an address of this machine, e.g. 127.0.0.1 or 0.0.0.0`);
    process.exit(2);
  }
  throw error;
}

/** The demo's URLs, a token per party, and a sign-in link per party with a one-time code. */
async function printDemo(url: string, keys: Parameters<typeof mintToken>[0], service: Awaited<ReturnType<typeof startService>>, seeded: number) {
  const days30 = 30 * 86_400;
  const sessions = createSessions(service.store, { sessionSeconds: service.config.auth.sessionSeconds });
  const parties = Object.values(demoParties);
  const codes = await Promise.all(parties.map((p) => sessions.issueCode({ role: p.role, sub: p.sub }, 86_400)));
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
    ...parties.map((p) => `export ${p.variable}=${mintToken(keys, { role: p.role, sub: p.sub }, days30)}   # ${p.role} ${p.sub}`),
    '',
    'Inspector sign-in links (each works once, within 24 hours; the code becomes a cookie session):',
    ...parties.map((p, i) => `  ${`${p.role} ${p.sub}`.padEnd(22)} ${url}/inspect#code=${codes[i]}`),
    '',
    'Items each buyer may still open a dispute on (the inspector offers them; every other item has one already):',
    ...(await disputableByBuyer(service)),
    '',
  ];
  console.log(lines.join('\n'));
}
