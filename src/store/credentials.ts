import { inspect } from 'node:util';

/**
 * What the SFTP layer needs to log in. The secrets are non-enumerable own properties, so the object
 * prints as `[SftpCredentials]` through JSON, `inspect`, `String` and a logger (whose redaction
 * copies objects, so private class fields would break it): never in logs, errors or Discord.
 */
export class SftpCredentials {
  declare readonly password: string | undefined;
  declare readonly privateKey: string | undefined;
  declare readonly passphrase: string | undefined;

  constructor(o: { password?: string | undefined; privateKey?: string | undefined; passphrase?: string | undefined }) {
    for (const [field, value] of [['password', o.password], ['privateKey', o.privateKey], ['passphrase', o.passphrase]] as const) {
      Object.defineProperty(this, field, { value, enumerable: false, writable: false });
    }
  }

  toJSON(): string { return '[SftpCredentials]'; }
  toString(): string { return '[SftpCredentials]'; }
  [inspect.custom](): string { return '[SftpCredentials]'; }
}
