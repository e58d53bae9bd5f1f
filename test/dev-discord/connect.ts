import { Client, Events, GatewayIntentBits, REST, type RESTOptions } from 'discord.js';
import { afterEach } from 'vitest';
import { startDevDiscord, type DevDiscord, type DevDiscordOptions } from '../../src/dev-discord/index.js';

/** Starts the stand-in (and, with `connect`, a logged-in discord.js client); everything is closed after each test. */
export function devDiscordSetup(): {
  start(o?: DevDiscordOptions): Promise<DevDiscord>;
  connect(o?: DevDiscordOptions): Promise<{ dev: DevDiscord; client: Client }>;
  rest(dev: DevDiscord, o?: Partial<RESTOptions>): REST;
} {
  const open: { devs: DevDiscord[]; clients: Client[] } = { devs: [], clients: [] };
  afterEach(async () => {
    for (const client of open.clients.splice(0)) await client.destroy();
    for (const dev of open.devs.splice(0)) await dev.close();
  });
  const start = async (o: DevDiscordOptions = {}) => {
    const dev = await startDevDiscord(o);
    open.devs.push(dev);
    return dev;
  };
  return {
    start,
    async connect(o = {}) {
      const dev = await start(o);
      const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: dev.apiUrl } });
      open.clients.push(client);
      client.on('error', () => undefined);
      const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
      await client.login(dev.token);
      await ready;
      return { dev, client };
    },
    rest: (dev, o = {}) => new REST({ api: dev.apiUrl, ...o }).setToken(dev.token),
  };
}

/** A command definition with subcommands, options of several types and autocomplete. */
export const serverCommand = {
  name: 'server', description: 'Game servers', default_member_permissions: '32',
  options: [
    {
      type: 1, name: 'status', description: 'Status',
      options: [{ type: 3, name: 'server', description: 'Server', required: true, autocomplete: true }, { type: 4, name: 'limit', description: 'Limit' }],
    },
    { type: 1, name: 'add', description: 'Add' },
  ],
};
