import { describe, expect, it } from 'vitest';
import { classifyError, SourceError } from '../../src/sources/errors.js';
import { normalizeFingerprint, validateSftpConfig } from '../../src/sources/sftp-config.js';

describe('validateSftpConfig', () => {
  it('GIVEN several mistakes THEN reports them all at once, naming each field', () => {
    let caught: unknown;
    try {
      validateSftpConfig({ host: ' ', port: 70_000, username: '', hostKey: 'abc' });
    } catch (error) { caught = error; }
    expect(caught).toBeInstanceOf(SourceError);
    const message = (caught as SourceError).message;
    expect((caught as SourceError).kind).toBe('bad-config');
    for (const word of ['host', 'port 70000', 'username', 'password nor a private key', 'hostKey']) expect(message).toContain(word);
  });
  it('GIVEN a valid password account THEN accepts it', () => {
    expect(() => validateSftpConfig({ host: 'eu1.host.example', port: 8822, username: 'u', password: 'p' })).not.toThrow();
  });
});

describe('normalizeFingerprint', () => {
  it('GIVEN the ssh-keygen form or 64 hex digits THEN both give the same SHA256: form', () => {
    const hex = 'a'.repeat(64);
    const b64 = normalizeFingerprint(hex);
    expect(b64).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(normalizeFingerprint(b64 ?? '')).toBe(b64);
    expect(normalizeFingerprint('MD5:aa:bb')).toBeNull();
  });
});

describe('classifyError: admin-readable kinds', () => {
  const where = 'game.example:8822';
  it('maps library failures to kinds and never echoes a secret', () => {
    expect(classifyError(new Error('All configured authentication methods failed'), { where }).kind).toBe('auth-failed');
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { where }).kind).toBe('unreachable');
    expect(classifyError(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), { where }).message).toContain('host name not found');
    expect(classifyError(Object.assign(new Error('x'), { code: 2 }), { where, path: 'a/b.csv' }).message).toContain('a/b.csv');
    expect(classifyError(Object.assign(new Error('x'), { code: 3 }), { where }).kind).toBe('permission-denied');
    const leaked = classifyError(new Error('odd failure with hunter2-secret inside'), { where, secrets: ['hunter2-secret'] });
    expect(leaked.kind).toBe('failed');
    expect(leaked.message).not.toContain('hunter2-secret');
  });
});
