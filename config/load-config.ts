import { variables, type RunMode, type Variable } from './variables.js';

type Vars = typeof variables;
type ValueOf<V> = V extends Variable<infer T> ? T : never;
type HasDefault<V> = V extends { default: unknown } ? true : V extends { requiredIn: readonly unknown[] } ? true : false;

/** The validated configuration: variables with a default (or required) are always set. */
export type Config = Readonly<
  { [K in keyof Vars as HasDefault<Vars[K]> extends true ? K : never]: ValueOf<Vars[K]> } &
  { [K in keyof Vars as HasDefault<Vars[K]> extends true ? never : K]?: ValueOf<Vars[K]> }
>;

/** Raised once at start-up with every problem found, each naming the variable and a good value. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the whole environment at once. `bot` mode needs Discord and the database;
 * `tool` mode (replay, dev-mongo, benchmarks) needs neither. Throws {@link ConfigError}.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, mode: RunMode): Config {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(variables) as [string, Variable<unknown>][]) {
    const raw = env[spec.name];
    if (raw === undefined || raw.trim() === '') {
      if (spec.requiredIn?.includes(mode)) problems.push(`${spec.name} is not set: it should be ${spec.expect}.`);
      else if (spec.default !== undefined) out[key] = spec.default;
      continue;
    }
    const value = spec.parse(raw);
    if (value === undefined) {
      const shown = spec.secret ? '(value hidden)' : `"${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}"`;
      problems.push(`${spec.name} ${shown} is not valid: it should be ${spec.expect}.`);
    } else out[key] = value;
  }
  const min = out.poolMinThreads as number | undefined;
  const max = out.poolMaxThreads as number | undefined;
  if (min !== undefined && max !== undefined && min > max) {
    problems.push(`POOL_MIN_THREADS (${min}) is larger than POOL_MAX_THREADS (${max}): the minimum must not exceed the maximum.`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(out) as Config;
}

/** The secret values present in a configuration, for the logger to scrub from every line. */
export function secretValues(config: Config): string[] {
  const secrets: string[] = [];
  for (const [key, spec] of Object.entries(variables) as [keyof Config, Variable<unknown>][]) {
    const value = config[key];
    if (spec.secret && typeof value === 'string') secrets.push(value);
  }
  const uri = config.mongodbUri;
  if (uri) {
    try {
      const password = decodeURIComponent(new URL(uri).password);
      if (password) secrets.push(password);
    } catch { /* validated already */ }
  }
  return secrets;
}
