import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { startDevDiscordCli } from '../../src/dev-discord/cli.js';

interface StartLine {
  apiUrl: string;
  token: string;
  applicationId: string;
  guilds: { id: string; name: string; channels: { id: string; name: string; type: number }[]; admin: { id: string; username: string }; member: { id: string; username: string } }[];
}

describe('killfeed dev-discord', () => {
  it('GIVEN --guilds 2 THEN one JSON line gives a working API URL, token and each guild with channels, admin and member', async () => {
    const lines: string[] = [];
    const running = await startDevDiscordCli(['--port', '0', '--guilds', '2'], { write: (l) => lines.push(l) });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as StartLine;
    expect(line.guilds).toHaveLength(2);
    expect(line.guilds[0]!.channels.map((c) => [c.name, c.type])).toEqual([['general', 0], ['killfeed', 0], ['locked', 0], ['players', 2]]);
    expect(line.guilds[0]!.admin.username).toBe('dev-admin-1');
    expect(line.guilds[1]!.member.id).toMatch(/^\d{17,19}$/);
    const me = await fetch(`${line.apiUrl}/v10/users/@me`, { headers: { authorization: `Bot ${line.token}` } });
    expect(((await me.json()) as { id: string }).id).toBe(line.applicationId);
    await running.close();
    await expect(fetch(`${line.apiUrl}/v10/users/@me`)).rejects.toThrow();
  });

  it('GIVEN a bad --guilds THEN the CLI says what a good value looks like and fails', async () => {
    const err: string[] = [];
    expect(await runCli(['dev-discord', '--guilds', '0'], { out: () => undefined, err: (t) => err.push(t) })).toBe(1);
    expect(err).toEqual(["killfeed dev-discord: --guilds must be a whole number from 1 to 100, got '0'"]);
  });
});
