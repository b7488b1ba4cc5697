// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * machines/ is the pure core: no Node built-ins, no database, no web framework, no clock and no
 * randomness. Time reaches the machine on events (`at`); effects leave it as action objects.
 */
const impurities = {
  builtins: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
  io: ['better-sqlite3', 'drizzle-orm', 'drizzle-orm/*', 'hono', 'hono/*', '@hono/*', 'pg', 'ws'],
  shell: ['**/server/**', '**/db/**', '../server', '../db'],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'db/migrations/', 'diagrams/dispute.*', 'coverage/', 'test-artifacts/', 'reports/', '.stryker-tmp/', '.stryker-tmp-chart/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  // Rules that need the types: promises are awaited or handled, only errors are thrown, every
  // case of a union is handled, assertions are not redundant.
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  // One injected logger for the service; only the command-line entries print.
  {
    files: ['server/**/*.ts', 'db/**/*.ts', 'machines/**/*.ts'],
    ignores: ['server/cli/**', 'server/main.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['server/inspector/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['machines/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: impurities.builtins.map((name) => ({ name, message: 'machines/ is pure: no Node built-ins (I/O belongs in server/ or db/).' })),
          patterns: [
            { group: impurities.io, message: 'machines/ is pure: no database or web framework.' },
            { group: impurities.shell, message: 'machines/ must not depend on the shell (server/, db/).' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['process', 'setTimeout', 'setInterval', 'setImmediate', 'fetch', 'performance', 'crypto', 'require', 'Buffer'].map((name) => ({
          name,
          message: 'machines/ is pure: no I/O, timers or ambient state.',
        })),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'machines/ has no clock: use the event’s `at`.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'machines/ has no clock: use the event’s `at`.' },
        { selector: "CallExpression[callee.name='Date']", message: 'machines/ has no clock: Date() reads it.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'machines/ is deterministic: no Math.random().' },
        { selector: "MemberExpression[object.name='crypto'][property.name='randomUUID']", message: 'machines/ is deterministic: ids come from the shell.' },
      ],
    },
  },
);
