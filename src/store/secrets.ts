import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Binary } from 'mongodb';

/** An SFTP password or private key as stored: AES-256-GCM ciphertext, never the plain text. */
export interface SealedSecret {
  iv: Buffer | Binary;
  tag: Buffer | Binary;
  data: Buffer | Binary;
}

/** The 32-byte key that seals credentials at rest. Opaque so it is never printed by accident. */
export interface SecretsKey {
  readonly bytes: Buffer;
}

const KEY_HELP = 'Set SECRETS_KEY to 32 random bytes written as 64 hex characters or as base64 '
  + '(generate one with `openssl rand -hex 32`).';

/**
 * Reads the `SECRETS_KEY` environment value. Throws a plain-worded Error when it is missing or not
 * exactly 32 bytes, and never echoes the value it was given.
 */
export function parseSecretsKey(text: string | undefined): SecretsKey {
  const value = (text ?? '').trim();
  if (value === '') throw new Error(`SECRETS_KEY is not set. ${KEY_HELP}`);
  let bytes: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(value)) bytes = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/]{43}=?$/.test(value) || /^[A-Za-z0-9_-]{43}=?$/.test(value)) {
    bytes = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
  }
  if (bytes?.length !== 32) {
    throw new Error(`SECRETS_KEY is malformed (${value.length} characters, expected 64 hex characters or 44 base64 characters). ${KEY_HELP}`);
  }
  const key: SecretsKey = { bytes };
  Object.defineProperty(key, 'toJSON', { value: () => '[SecretsKey]', enumerable: false });
  Object.defineProperty(key, Symbol.for('nodejs.util.inspect.custom'), { value: () => '[SecretsKey]', enumerable: false });
  return key;
}

/** Encrypts `plain` with a fresh 96-bit IV. `context` (the server id) is bound as associated data. */
export function sealSecret(key: SecretsKey, plain: string, context: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), data };
}

/**
 * Decrypts a sealed secret. A wrong key or tampered data fails with a message that says so and
 * carries nothing of the secret.
 */
export function openSecret(key: SecretsKey, sealed: SealedSecret, context: string): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, toBuffer(sealed.iv));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(toBuffer(sealed.tag));
    return Buffer.concat([decipher.update(toBuffer(sealed.data)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('A stored SFTP credential could not be decrypted: SECRETS_KEY is not the key it was saved with, or the stored value was altered. Restore the original SECRETS_KEY or enter the credential again.');
  }
}

/** BSON binary values come back from the driver as `Binary`; accept either. */
function toBuffer(value: Buffer | Binary | Uint8Array): Buffer {
  if (value instanceof Binary) return Buffer.from(value.value());
  return Buffer.isBuffer(value) ? value : Buffer.from(value);
}
