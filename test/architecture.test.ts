/**
 * The house by role, checked: no import cycle (type-only imports included), and no module
 * reaching up a layer. From the bottom: the pure machine; the store, the diagrams, the logger and
 * the test paths built on the machine (`server/testing`, which does I/O, so not the pure core);
 * the runtime (the write path); identity (tokens and keys); the queries (the read path) and the
 * effects; the service's wiring and configuration; the HTTP API; the command-line entries.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = ['machines', 'db', 'server', 'diagrams'].flatMap((dir) =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f)),
);

const layers: [RegExp, number][] = [
  [/^machines\//, 0],
  [/^(db\/|diagrams\/|server\/log\.ts$|server\/testing\/)/, 1],
  [/^server\/runtime\//, 2],
  [/^server\/auth\//, 3],
  [/^server\/(queries|effects)\//, 4],
  [/^server\/(service|config|config-vars)\.ts$/, 5],
  [/^server\/http\//, 6],
  [/^server\/(cli\/|main\.ts$)/, 7],
];
const layerOf = (file: string) => layers.find(([pattern]) => pattern.test(file))?.[1] ?? -1;

/** Relative imports of a file, resolved to paths from the root (type-only ones included). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)]
    .map((m) => normalize(relative(root, join(root, dirname(file), m[1]!))))
    .filter((path) => path.endsWith('.ts'));
}

const graph = new Map(sources.map((file) => [file, importsOf(file)]));

describe('the house by role', () => {
  it('every source file belongs to a layer', () => {
    expect(sources.filter((file) => layerOf(file) < 0)).toEqual([]);
  });

  it('no module imports one from a higher layer', () => {
    const upward = [...graph].flatMap(([file, imports]) => imports.filter((target) => layerOf(target) > layerOf(file)).map((target) => `${file} -> ${target}`));
    expect(upward).toEqual([]);
  });

  it('no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('files stay small: none over 400 lines outside generated ones, most under 200', () => {
    const lines = sources.map((file) => [file, readFileSync(join(root, file), 'utf8').split('\n').length] as const);
    expect(lines.filter(([, n]) => n > 400)).toEqual([]);
    expect(lines.filter(([, n]) => n <= 200).length / lines.length).toBeGreaterThan(0.75);
  });
});
