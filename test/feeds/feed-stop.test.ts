import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { isUnpostable, problemMessage, refusalOf } from '../../src/feeds/feed-stop.js';

const apiError = (code: number, status: number): DiscordAPIError =>
  new DiscordAPIError({ code, message: 'refused' }, code, status, 'POST', 'http://127.0.0.1/api/v10/channels/1/messages', { body: {} });

describe('which failed posts stop a feed', () => {
  it('GIVEN missing permissions, missing access or a deleted channel THEN the feed stops, with plain words for admins', () => {
    expect(refusalOf(apiError(50013, 403))?.code).toBe(50013);
    expect(refusalOf(apiError(50001, 403))?.why).toContain('cannot see');
    const gone = refusalOf(apiError(10003, 404));
    expect(gone?.why).toBe('that channel no longer exists');
    expect(gone && problemMessage('killfeed', '123456789012345678', gone)).toBe(
      'The killfeed feed stopped: Discord refused to post in <#123456789012345678> because that channel no longer exists. Fix that, then run /feeds set killfeed again to resume it.',
    );
  });

  it('GIVEN a server error, a bad request or a network failure THEN the post is tried again instead', () => {
    expect(refusalOf(apiError(0, 500))).toBeNull();
    expect(refusalOf(new Error('ECONNRESET'))).toBeNull();
    expect(isUnpostable(apiError(0, 500))).toBe(false);
  });

  it('GIVEN a message Discord refuses as invalid (50035) THEN the feed goes on without it: it is not retried for ever, and the feed does not stop', () => {
    expect(refusalOf(apiError(50035, 400))).toBeNull();
    expect(isUnpostable(apiError(50035, 400))).toBe(true);
  });
});
