// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** I/O and framework modules that must never reach the pure parsers (or the worker that loads them). */
const ioModules = [
  'discord.js', 'mongodb', 'pino', 'pino-pretty', 'ssh2', 'ssh2-sftp-client', 'piscina', 'async-mutex',
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http',
  'https', 'node:https', 'child_process', 'node:child_process', 'worker_threads', 'node:worker_threads',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Plain-JavaScript scripts run on Node; TypeScript files get their globals from @types/node.
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['parsers/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioModules.map((name) => ({ name, message: 'parsers/ is pure: text or bytes in, events and counts out. Do the I/O in src/.' })),
      }],
    },
  },
);
