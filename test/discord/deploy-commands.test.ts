import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/discord/deploy.js';
import { createRegistry } from '../../src/discord/registry.js';
import { startDevDiscord } from '../../src/dev-discord/index.js';
import type { DevDiscord } from '../../src/dev-discord/types.js';
import { fixtureCommands, echo, secret } from './fixtures/commands.js';

const run = promisify(execFile);

describe('deploy-commands', () => {
  let dev: DevDiscord;
  const deploy = (commands = fixtureCommands, guildId?: string) => deployCommands({
    token: dev.token, applicationId: dev.applicationId, apiUrl: dev.apiUrl, registry: createRegistry(commands), ...(guildId ? { guildId } : {}),
  });

  beforeAll(async () => {
    dev = await startDevDiscord({ guilds: 2 });
  });
  afterAll(() => dev.close());

  it('GIVEN the commands THEN they are registered guild-only, admin ones hidden from members without Manage Server', async () => {
    const result = await deploy();
    expect(result).toEqual({ scope: 'global', names: fixtureCommands.map((c) => c.data.name) });
    const registered = dev.registeredCommands();
    expect(registered.find((c) => c.name === 'secret')).toMatchObject({ default_member_permissions: '32', contexts: [0] });
    expect(registered.find((c) => c.name === 'echo')).toMatchObject({ default_member_permissions: null, contexts: [0] });
  });

  it('GIVEN it runs again THEN Discord holds the same list (a bulk overwrite), and a command dropped from the code is gone', async () => {
    // Everything but `version`, which Discord may move on any write.
    const held = () => dev.registeredCommands().map(({ version: _version, ...command }) => command);
    const before = held();
    await deploy();
    expect(held()).toEqual(before);
    await deploy([echo, secret]);
    expect(dev.registeredCommands().map((c) => c.name)).toEqual(['echo', 'secret']);
    expect(dev.requests().filter((r) => r.method === 'POST' && r.path.includes('/commands'))).toEqual([]);
  });

  it('GIVEN --guild THEN only that guild\'s commands change', async () => {
    const guildId = dev.guilds[0]?.id ?? '';
    expect(await deploy([echo], guildId)).toEqual({ scope: { guildId }, names: ['echo'] });
    expect(dev.registeredCommands(guildId).map((c) => c.name)).toEqual(['echo']);
    expect(dev.registeredCommands().map((c) => c.name)).toEqual(['echo', 'secret']);
  });

  it('GIVEN no token or application id THEN the script says which is missing and where to find it', async () => {
    const failed = await run(process.execPath, ['--import', 'tsx', 'src/deploy-commands.ts'], { env: { PATH: process.env.PATH ?? '' } })
      .then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('DISCORD_TOKEN (the bot token from the Discord developer portal, Bot > Reset Token) is not set');
    expect(failed?.stderr).toContain('DISCORD_APPLICATION_ID (General Information > Application ID) is not set');
  });

  it('GIVEN a token Discord refuses, or a bad --guild THEN the script says what to fix', async () => {
    const script = (env: Record<string, string>, ...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/deploy-commands.ts', ...args], { env: { PATH: process.env.PATH ?? '', ...env } })
      .then(() => null, (error: { code: number; stderr: string }) => error);
    const env = { DISCORD_TOKEN: 'not-the-token', DISCORD_APPLICATION_ID: dev.applicationId, DISCORD_API_URL: dev.apiUrl };
    expect(await script(env)).toMatchObject({ code: 1, stderr: 'Discord refused the token (401 Unauthorized): check DISCORD_TOKEN.\n' });
    expect((await script(env, '--guild', '12'))?.stderr).toContain('--guild "12" is not a guild id');
  });

  it('GIVEN --guild of a guild the bot is not in THEN the script says Discord refused access, and to check the id and invite the bot with applications.commands', async () => {
    const removed = dev.guilds[1]?.id ?? '';
    dev.removeBot(removed);
    const env = { PATH: process.env.PATH ?? '', DISCORD_TOKEN: dev.token, DISCORD_APPLICATION_ID: dev.applicationId, DISCORD_API_URL: dev.apiUrl };
    for (const guildId of [removed, '100000000000000042']) {
      const failed = await run(process.execPath, ['--import', 'tsx', 'src/deploy-commands.ts', '--guild', guildId], { env })
        .then(() => null, (error: { code: number; stderr: string }) => error);
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toContain('Discord refused access to that guild (403 Missing Access): check the --guild id, and that the bot was invited to it with the applications.commands scope');
      expect(dev.registeredCommands(guildId)).toEqual([]);
    }
  });

  it('GIVEN two commands with one name, or a module that is not a command THEN the registry refuses to start, saying which', () => {
    expect(() => createRegistry([echo, { ...secret, data: { ...secret.data, name: 'echo' } }])).toThrow('Two commands are named "echo": each name must be used once.');
    expect(() => createRegistry([echo, { data: { name: 'half' } }])).toThrow('Entry 2 of commands/index.ts ("half") is not a slash command');
  });
});
