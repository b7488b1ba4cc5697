/**
 * The lint rule that keeps machines/ pure: it must refuse I/O, the clock and randomness there,
 * and leave the shell alone.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });
// Probes are code that exists in no file: the type-aware rules (which need a file in the
// project) are off for them; the purity rules under test need no types.
const probing = new ESLint({ cwd: process.cwd(), overrideConfig: { files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked } });

async function ruleIds(code: string, filePath: string) {
  const [result] = await probing.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId);
}

describe('machines/ stays pure', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", 'no-restricted-imports'],
    ["import path from 'path';\nexport const x = path;", 'no-restricted-imports'],
    ["import Database from 'better-sqlite3';\nexport const x = Database;", 'no-restricted-imports'],
    ["import { Hono } from 'hono';\nexport const x = Hono;", 'no-restricted-imports'],
    ["import { store } from '../db/store.ts';\nexport const x = store;", 'no-restricted-imports'],
    ['export const now = Date.now();', 'no-restricted-syntax'],
    ['export const now = new Date();', 'no-restricted-syntax'],
    ['export const r = Math.random();', 'no-restricted-syntax'],
    ['export const env = process.env.PORT;', 'no-restricted-globals'],
    ['export const t = setTimeout(() => 1, 5);', 'no-restricted-globals'],
  ])('refuses %s', async (code, rule) => {
    expect(await ruleIds(code, 'machines/impure-probe.ts')).toContain(rule);
  });

  it('allows deterministic time arithmetic on given instants', async () => {
    expect(await ruleIds('export const t = (at: string) => new Date(Date.parse(at) + 1).toISOString();', 'machines/pure-probe.ts')).toEqual([]);
  });

  it('does not apply to the shell', async () => {
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const x = [readFileSync, Date.now()];", 'server/probe.ts')).toEqual([]);
  });

  it('holds for the machines/ folder as committed', async () => {
    const results = await eslint.lintFiles(['machines/**/*.ts']);
    expect(results.length).toBeGreaterThan(5);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.message}`))).toEqual([]);
  });
});
