import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCommands } from './fixtures/commands.js';
import { startBotHarness, type BotHarness } from './harness.js';

describe('the gateway connection', () => {
  let h: BotHarness;
  const echo = async (text: string): Promise<string> => {
    const run = h.dev.command({ guildId: h.guild.id, user: 'member', name: 'echo', options: { text } });
    return (await run.waitForOriginal((m) => m.content !== '')).content;
  };

  beforeAll(async () => {
    h = await startBotHarness({ commands: fixtureCommands });
  });
  afterAll(() => h.stop());

  it('GIVEN the connection dropped (resumable) THEN the client resumes its session and commands are still answered', async () => {
    h.dev.dropConnection(4000);
    await h.dev.waitForSession('resumed');
    expect(await echo('after resume')).toBe('echo: after resume');
  });

  it('GIVEN the session invalidated THEN the client identifies again and commands are still answered', async () => {
    h.dev.invalidateSession(false);
    await h.dev.waitForSession('ready', 2);
    expect(await echo('after identify')).toBe('echo: after identify');
    expect(h.app.scheduler.health()).toEqual([]);
    expect((await h.app.store.membership.left()).size).toBe(0);
  });
});
