import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './load-config.js';

/**
 * Reads `.env` from the working folder into `process.env` when it is there, as `.env.example` tells
 * operators to copy it: `npm start`, the `killfeed` tools and `npm run deploy-commands` all call this
 * first. A variable already set in the environment wins over the file (Node's `process.loadEnvFile`
 * never overwrites one), so a supervisor's or a shell's setting is the one used.
 * Returns the file read, or null when there is none.
 */
export function loadDotEnv(path = '.env'): string | null {
  const file = resolve(path);
  if (!existsSync(file)) return null;
  try {
    process.loadEnvFile(file);
  } catch (error) {
    throw new ConfigError([`Could not read ${file}: ${error instanceof Error ? error.message : String(error)}. Fix the file (lines like NAME=value) or remove it.`]);
  }
  return file;
}
