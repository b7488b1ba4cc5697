/**
 * The container packaging, checked without Docker (none on the CI machine): the Dockerfile's
 * runtime stage is read as Docker would read it, then its start command is run as the image would
 * run it, from a folder holding only what the stage copies, with its ENV (the /data paths moved to
 * a temp folder, a free port); its HEALTHCHECK is run against that service. compose.yaml's
 * settings are parsed by the service's own strict configuration.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../server/config.ts';
import { variables } from '../server/config-vars.ts';
import { routeDocs } from '../server/http/openapi/document.ts';
import { projectRoot } from './support/processes.ts';
import { tempDir } from './support/service.ts';

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

/** The last stage: what the image is. */
function runtimeStage(all: Instruction[]) {
  const from = all.map((i) => i.op).lastIndexOf('FROM');
  const stage = all.slice(from);
  const env: Record<string, string> = {};
  for (const { args } of stage.filter((i) => i.op === 'ENV')) {
    for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  }
  /** The exec form of CMD, or of HEALTHCHECK's CMD after its options. */
  const exec = (args: string) => JSON.parse(args.replace(/^.*?CMD\s+/, '')) as string[];
  const one = (op: string) => stage.filter((i) => i.op === op).at(-1)?.args;
  return {
    base: all[from]!.args,
    env,
    workdir: one('WORKDIR'),
    user: one('USER'),
    cmd: exec(one('CMD') ?? '[]'),
    healthcheck: exec(one('HEALTHCHECK') ?? 'CMD []'),
    copies: stage.filter((i) => i.op === 'COPY').map((i) => i.args.split(/\s+/)),
    expose: one('EXPOSE'),
    volume: one('VOLUME'),
  };
}

const dockerfile = runtimeStage(instructions(readFileSync(join(projectRoot, 'Dockerfile'), 'utf8')));
const productionKeys = `k1:${'s'.repeat(40)}`;

function run(command: string[], cwd: string, env: Record<string, string>) {
  const [program, ...args] = command;
  expect(program).toBe('node');
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const url = /arbiter: ready at (\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    void exited.then((code) => reject(new Error(`exited ${code} before ready: ${out.slice(-1500)}`)));
  });
  ready.catch(() => undefined); // awaited by those that wait for it; a health check never is
  return { child, ready, exited, output: () => out };
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const clean of cleanup.splice(0)) clean();
});

describe('the Dockerfile', () => {
  it('runs as a non-root user on node:20-bookworm-slim, serving 0.0.0.0:3000 with its data in the /data volume', () => {
    expect(dockerfile.base).toMatch(/^node:20-bookworm-slim\b/);
    expect(dockerfile.user).toBeDefined();
    expect(['root', '0']).not.toContain(dockerfile.user);
    expect(dockerfile.env).toMatchObject({ ARBITER_HOST: '0.0.0.0', ARBITER_DB: '/data/arbiter.db', ARBITER_EVIDENCE_DIR: '/data/evidence' });
    expect(dockerfile.expose).toBe(dockerfile.env.PORT ?? '3000');
    expect(dockerfile.volume).toBe('/data');
  });

  it('sets only variables the service accepts, and values its configuration parses', () => {
    expect(Object.keys(dockerfile.env).filter((name) => name !== 'NODE_ENV' && !Object.hasOwn(variables, name))).toEqual([]);
    const tmp = tempDir('arbiter-image-config-');
    cleanup.push(tmp.cleanup);
    const config = loadConfig({ ...dockerfile.env, ARBITER_DB: join(tmp.dir, 'arbiter.db'), ARBITER_TOKEN_KEYS: productionKeys });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 3000, mode: 'production' });
  });

  it('its HEALTHCHECK asks for a route the service serves without credentials', () => {
    const path = /'(\/[\w/]*)'/.exec(dockerfile.healthcheck.join(' '))?.[1];
    expect(path).toBe('/healthz');
    expect(routeDocs.find((r) => r.method === 'get' && r.path === path)).toMatchObject({ auth: false });
  });

  it('starts the service with its start command from only what the runtime stage copies; the HEALTHCHECK passes, then fails once it stops', async () => {
    const tmp = tempDir('arbiter-image-');
    cleanup.push(tmp.cleanup);
    const app = join(tmp.dir, 'app');
    mkdirSync(app);
    for (const copy of dockerfile.copies) {
      const [from, ...paths] = copy.filter((part) => !part.startsWith('--') || part.startsWith('--from'));
      if (from!.startsWith('--from')) {
        // The build stage's node_modules: this checkout's stands in for it.
        expect(paths.at(-1)).toBe('./node_modules');
        symlinkSync(join(projectRoot, 'node_modules'), join(app, 'node_modules'));
        continue;
      }
      const sources = [from!, ...paths.slice(0, -1)];
      const target = paths.at(-1)!;
      for (const source of sources)
        cpSync(join(projectRoot, source), target.endsWith('/') ? join(app, target, source) : join(app, target), { recursive: true });
    }
    const data = (value: string) => (value.startsWith('/data') ? join(tmp.dir, value) : value);
    mkdirSync(data('/data/evidence'), { recursive: true }); // as the image's RUN mkdir does
    const env = { ...Object.fromEntries(Object.entries(dockerfile.env).map(([k, v]) => [k, data(v)])), PORT: '0', ARBITER_TOKEN_KEYS: productionKeys };
    expect(dockerfile.workdir).toBe('/app');
    expect(dockerfile.cmd).toEqual(['node', '--import', 'tsx', 'server/main.ts']);

    const service = run(dockerfile.cmd, app, env);
    cleanup.push(() => service.child.kill('SIGKILL'));
    const url = await service.ready;
    expect(service.output()).toMatch(new RegExp(`production mode, database ${join(tmp.dir, '/data/arbiter.db')}`));
    const port = new URL(url).port;
    expect((await run(dockerfile.healthcheck, app, { PORT: port }).exited) ?? -1).toBe(0);

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect((await run(dockerfile.healthcheck, app, { PORT: port }).exited) ?? -1).toBe(1);
  }, 60_000);
});

describe('compose.yaml', () => {
  const compose = parse(readFileSync(join(projectRoot, 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, { image?: string; build?: string; environment?: Record<string, string>; volumes?: string[] }>;
  };
  const arbiters = Object.entries(compose.services).filter(([, s]) => s.build === '.');
  /** What compose substitutes: ${NAME:-default} its default, ${NAME:?message} what the operator must set. */
  const substitute = (value: string) =>
    String(value).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
      if (kind === '-') return rest ?? '';
      expect(name).toBe('ARBITER_TOKEN_KEYS'); // the one setting an operator must supply
      return productionKeys;
    });

  it('runs three instances on one PostgreSQL 15 database and one evidence volume', () => {
    expect(compose.services.postgres?.image).toBe('postgres:15');
    expect(arbiters).toHaveLength(3);
    const urls = new Set(arbiters.map(([, s]) => s.environment?.DATABASE_URL));
    expect(urls.size).toBe(1);
    expect([...urls][0]).toMatch(/@postgres:5432\//);
    for (const [, service] of arbiters) {
      const evidence = service.environment?.ARBITER_EVIDENCE_DIR ?? dockerfile.env.ARBITER_EVIDENCE_DIR;
      expect(service.volumes).toContain(`evidence:${evidence}`);
    }
  });

  it("each instance's settings are ones the service accepts, in production mode with the keys from the environment", () => {
    for (const [, service] of arbiters) {
      const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, substitute(v)]));
      expect(Object.keys(env).filter((name) => !Object.hasOwn(variables, name))).toEqual([]);
      expect(service.environment?.ARBITER_TOKEN_KEYS).toMatch(/^\$\{ARBITER_TOKEN_KEYS:\?/);
      const config = loadConfig({ ...dockerfile.env, ...env });
      expect(config).toMatchObject({ mode: 'production', tokenKeys: productionKeys });
      expect(config.databaseUrl).toMatch(/^postgres:\/\/arbiter:arbiter@postgres:5432\/arbiter$/);
    }
  });
});
