/**
 * Counterexamples fast-check found and shrank, kept so that each runs on every test run. Each
 * names the defect it caught.
 */
import type { Command } from './world.ts';

export const regressions: { name: string; scenarios: number[]; policy: number; commands: Command[] }[] = [];
