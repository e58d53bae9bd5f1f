import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { helpText } from '../../commands/help.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';

describe('/help text', () => {
  it('GIVEN an admin THEN every command is listed, subcommands as `/admin queue`, one line each', () => {
    const text = helpText(commands, true);
    expect(text).toContain('`/admin queue` Live status of the task queue');
    expect(text).toContain('`/admin cancel`');
    expect(text).toContain('`/help` The commands you may use here');
    expect(text).not.toContain('Manage Server');
  });

  it('GIVEN a plain member THEN no admin command is listed, and the member is told admins have more', () => {
    const text = helpText(commands, false);
    expect(text).toContain('`/help`');
    expect(text).not.toContain('/admin');
    for (const c of commands.filter((c) => c.access === 'admin')) expect(text).not.toContain(`\`/${c.data.name}`);
    expect(text).toContain('Members with the Manage Server permission also have admin commands.');
  });
});

describe('/help through Discord', () => {
  let h: BotHarness;
  beforeAll(async () => { h = await startBotHarness(); });
  afterAll(() => h.stop());

  it('GIVEN an admin and a plain member THEN each gets, at once and privately, the list of what they may use', async () => {
    const asked = (user: 'admin' | 'member') => h.dev.command({ guildId: h.guild.id, user, name: 'help' }).acknowledged;
    const [forAdmin, forMember] = await Promise.all([asked('admin'), asked('member')]);
    expect(forAdmin).toMatchObject({ type: 4, data: { flags: 64, content: helpText(commands, true) } });
    expect(forMember).toMatchObject({ type: 4, data: { flags: 64, content: helpText(commands, false) } });
    expect(forAdmin.data?.content).toContain('`/admin queue`');
    expect(forMember.data?.content).not.toContain('/admin');
  });
});
