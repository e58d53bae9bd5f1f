import { describe, expect, it } from 'vitest';
import { createLogger, LogSink } from '../../src/logging/logger.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.very-secret-token';
const PASSWORD = 'p@ss "word" 42';

function logged(write: (log: ReturnType<typeof createLogger>) => void): string {
  const sink = new LogSink();
  const logger = createLogger({ level: 'debug', pretty: false, secrets: [TOKEN, PASSWORD], destination: sink });
  write(logger);
  logger.flush();
  return sink.raw.join('\n');
}

describe('logging never shows secrets', () => {
  it('GIVEN secret fields at any depth THEN their values are redacted', () => {
    const out = logged((log) => log.child({ module: 'sftp' }).info({ server: { host: 'h', password: 'x1x1x1', sftp: { privateKey: 'KEYDATA' } }, token: 't0k3n' }, 'connecting'));
    expect(out).toContain('"module":"sftp"');
    expect(out).toContain('connecting');
    for (const secret of ['x1x1x1', 'KEYDATA', 't0k3n']) expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
  });

  it('GIVEN a known secret inside a message, an error stack or a URL THEN it is replaced', () => {
    const out = logged((log) => {
      log.warn(`login failed for token ${TOKEN}`);
      log.error({ err: new Error(`bad password ${PASSWORD}`) }, 'sftp error');
      log.info({ url: `https://discord.example/api?t=${TOKEN}` }, 'request');
    });
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain('very-secret-token');
    expect(out).not.toContain('p@ss');
    expect(out.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('GIVEN a failed edit of an interaction reply (discord.js puts the URL on the error) THEN the interaction token is not in the line', async () => {
    const { DiscordAPIError } = await import('discord.js');
    const token = 'aW50ZXJhY3Rpb246MTMwMDAwMDAwMDAwMDAwMDAwMDpzZWNyZXQ';
    const url = `https://discord.com/api/v10/webhooks/1300000000000000000/${token}/messages/@original`;
    const error = new DiscordAPIError({ code: 50035, message: 'Invalid Form Body' }, 50035, 400, 'PATCH', url, { body: { content: 'x' } });
    const out = logged((log) => {
      log.warn({ err: error }, 'could not show a history run\'s progress');
      log.info(`callback to /interactions/1300000000000000001/${token}/callback failed`);
    });
    expect(out).toContain('/webhooks/1300000000000000000/[REDACTED]/messages/@original');
    expect(out).toContain('/interactions/1300000000000000001/[REDACTED]/callback');
    expect(out).not.toContain(token);
  });

  it('GIVEN a database URI with credentials THEN the password part is hidden even when not registered', () => {
    const out = logged((log) => log.error({ err: new Error('connect ECONNREFUSED mongodb://killfeed:unlisted-pw@10.0.0.5:27017/db') }, 'database down'));
    expect(out).not.toContain('unlisted-pw');
    expect(out).toContain('mongodb://killfeed:[REDACTED]@10.0.0.5');
  });

  it('GIVEN pretty output THEN lines are readable and still scrubbed', () => {
    const sink = new LogSink();
    const logger = createLogger({ level: 'info', pretty: true, secrets: [TOKEN], destination: sink });
    logger.info({ module: 'bot' }, `ready with ${TOKEN}`);
    expect(sink.raw.join('\n')).toMatch(/INFO.*ready with \[REDACTED\]/);
  });
});
