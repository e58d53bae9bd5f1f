import { RateLimitError, Routes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { devDiscordSetup } from './connect.js';

const { start, connect, rest } = devDiscordSetup();

function killfeedChannel(dev: Awaited<ReturnType<typeof start>>): string {
  return dev.guilds[0]!.channels.find((c) => c.name === 'killfeed')!.id;
}

describe('dev-discord rate limits', () => {
  it('GIVEN six messages to one channel through discord.js THEN it waits out the 5-per-5-s bucket and all six are posted', async () => {
    const dev = await start();
    const channel = killfeedChannel(dev);
    const api = rest(dev);
    await Promise.all(Array.from({ length: 6 }, (_, i) => api.post(Routes.channelMessages(channel), { body: { content: `kill ${i}` } })));
    expect(dev.messages(channel).map((m) => m.content).sort()).toEqual(['kill 0', 'kill 1', 'kill 2', 'kill 3', 'kill 4', 'kill 5']);
    const posts = dev.requests().filter((r) => r.route === 'POST /channels/:id/messages' && r.status === 200);
    expect(posts).toHaveLength(6);
    expect(posts[5]!.at - posts[0]!.at).toBeGreaterThanOrEqual(5000);
  });

  it('GIVEN an exhausted bucket THEN a raw request gets 429 with Discord headers and body, and rejectOnRateLimit surfaces it', async () => {
    const dev = await start();
    const channel = killfeedChannel(dev);
    const post = () => fetch(`${dev.apiUrl}/v10/channels/${channel}/messages`, {
      method: 'POST', headers: { authorization: `Bot ${dev.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ content: 'x' }),
    });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await post());
    expect(answers.slice(0, 5).map((a) => a.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);
    const refused = answers[5]!;
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/json');
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-reset', 'x-ratelimit-reset-after', 'x-ratelimit-bucket', 'retry-after']) expect(refused.headers.get(h)).not.toBeNull();
    expect(refused.headers.get('x-ratelimit-scope')).toBe('user');
    const body = (await refused.json()) as { message: string; retry_after: number; global: boolean };
    expect(body).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(body.retry_after).toBeGreaterThan(0);
    const strict = rest(dev, { rejectOnRateLimit: ['/channels'] });
    const error = await strict.post(Routes.channelMessages(channel), { body: { content: 'y' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).global).toBe(false);
    expect(dev.messages(channel)).toHaveLength(5);
  });

  it('GIVEN more requests per second than the global limit THEN a 429 marked global, callbacks exempt, and discord.js waits it out', async () => {
    const { dev } = await connect({ globalRequestsPerSecond: 3 });
    const me = () => fetch(`${dev.apiUrl}/v10/users/@me`, { headers: { authorization: `Bot ${dev.token}` } });
    dev.advanceClock(1000); // a fresh one-second window, whatever the login used
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await me());
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[3]!.headers.get('x-ratelimit-global')).toBe('true');
    expect(answers[3]!.headers.get('x-ratelimit-scope')).toBe('global');
    expect(await answers[3]!.json()).toMatchObject({ global: true });
    expect(dev.requests().filter((r) => r.status === 429).map((r) => r.limitScope)).toEqual(['global']);
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [{ name: 'help', description: 'Help' }] });
    const run = dev.command({ guildId: dev.guilds[0]!.id, user: 'member', name: 'help' });
    const callback = await fetch(`${dev.apiUrl}/v10/interactions/${run.id}/${run.token}/callback`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 4, data: { content: 'help' } }),
    });
    expect(callback.status).toBe(204);
    const before = dev.requests().length;
    const api = rest(dev);
    const users = await Promise.all(Array.from({ length: 6 }, () => api.get(Routes.user()) as Promise<{ id: string }>));
    expect(users.map((u) => u.id)).toEqual(Array.from({ length: 6 }, () => dev.botUserId));
    expect(dev.requests().slice(before).filter((r) => r.status === 429).length).toBeGreaterThan(0);
  });

  it('GIVEN a channel renamed twice in 10 minutes THEN a third rename is refused with a long retry_after, and allowed once the window passed', async () => {
    const dev = await start();
    const channel = killfeedChannel(dev);
    const strict = rest(dev, { rejectOnRateLimit: ['/channels'] });
    await strict.patch(Routes.channel(channel), { body: { name: 'players-1' } });
    await strict.patch(Routes.channel(channel), { body: { name: 'players-2' } });
    const error = await strict.patch(Routes.channel(channel), { body: { name: 'players-3' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBeGreaterThan(500_000);
    expect(dev.channelName(channel)).toBe('players-2');
    dev.advanceClock(10 * 60_000);
    await rest(dev, { rejectOnRateLimit: ['/channels'] }).patch(Routes.channel(channel), { body: { name: 'players-4' } });
    expect(dev.channelName(channel)).toBe('players-4');
  });
});
