import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCommands } from './fixtures/commands.js';
import { killRow, makeGameFolder, type GameFolder } from './game-folder.js';
import { startBotHarness, type BotHarness } from './harness.js';

describe('the gateway connection', () => {
  let h: BotHarness;
  let folder: GameFolder;
  const echo = async (text: string): Promise<string> => {
    const run = h.dev.command({ guildId: h.guild.id, user: 'member', name: 'echo', options: { text } });
    return (await run.waitForOriginal((m) => m.content !== '')).content;
  };

  beforeAll(async () => {
    h = await startBotHarness({ commands: fixtureCommands });
    folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob')]);
    const guild = h.app.store.guild(h.guild.id);
    await h.app.watcher.watch(guild, await guild.servers.add({ name: 'home', localPath: folder.root }));
  });
  afterAll(async () => {
    await h.stop();
    folder.remove();
  });

  it('GIVEN the connection dropped (resumable) THEN the client resumes its session and commands are still answered', async () => {
    h.dev.dropConnection(4000);
    await h.dev.waitForSession('resumed');
    expect(await echo('after resume')).toBe('echo: after resume');
  });

  it('GIVEN the session invalidated THEN the client identifies again, commands are still answered and the guild is still watched', async () => {
    h.dev.invalidateSession(false);
    await h.dev.waitForSession('ready', 2);
    expect(await echo('after identify')).toBe('echo: after identify');
    expect(h.app.scheduler.health().map((s) => s.name)).toEqual(['home']);
    expect((await h.app.store.membership.left()).size).toBe(0);
  });
});
