import { StoreInputError } from './errors.js';

/** Discord ids are snowflakes: 17 to 20 digits. Anything else is a bug upstream, said plainly. */
export function requireSnowflake(value: string, what: string): string {
  if (!/^\d{17,20}$/.test(value)) throw new StoreInputError(`${what} must be a Discord id (17 to 20 digits).`);
  return value;
}

export function requireText(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw new StoreInputError(`${what} is required.`);
  const text = value.trim();
  if (text.length > max) throw new StoreInputError(`${what} is too long (at most ${max} characters).`);
  return text;
}

export function requireInteger(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new StoreInputError(`${what} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** Setting and channel keys become field names: keep them to plain identifiers. */
export function requireKey(value: string, what: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(value)) {
    throw new StoreInputError(`${what} must start with a letter and use only letters, digits and _ (at most 40).`);
  }
  return value;
}

/** True for MongoDB's duplicate-key error (E11000), from a single write or inside a bulk write. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
