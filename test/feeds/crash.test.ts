import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevDiscord } from '../../src/dev-discord/index.js';
import type { DevDiscord } from '../../src/dev-discord/types.js';
import { seededRandom } from '../../src/generator/random.js';
import { openStore, parseSecretsKey, type Store } from '../../src/store/index.js';
import { killRow, makeGameFolder, type GameFolder } from '../discord/game-folder.js';
import { startTestDatabase, testLogger, type TestDatabase } from '../store/helpers.js';
import { appendRows, clock, deathRow, eventually, postedEmbeds, victim, victimsInOrder } from './helpers.js';

/** How many times the bot is killed (SIGKILL) while kills stream in, and the seed of when. */
const KILLS_OF_THE_BOT = 6;
const SEED = 12;
/** One kill row is appended this often. */
const ROW_EVERY_MS = 120;

/**
 * THE CRASH TEST: the bot runs in a child process (as `npm start` runs it); dev-mongo and the
 * Discord stand-in run here and outlive it. Kills are appended to the live CSV while the bot is
 * killed with SIGKILL at seeded random moments and started again each time. At the end every kill
 * is in the killfeed channel exactly once, in file order.
 */
describe('the killfeed across crashes', () => {
  let db: TestDatabase;
  let dev: DevDiscord;
  let store: Store;
  let folder: GameFolder;
  let killfeed: string;
  let serverId: string;
  const secretsKey = randomBytes(32).toString('hex');

  beforeAll(async () => {
    db = await startTestDatabase('crash');
    dev = await startDevDiscord();
    store = await openStore({ uri: db.uri, dbName: db.dbName, secretsKey: parseSecretsKey(secretsKey), logger: testLogger().logger });
    const guild = dev.guilds[0];
    const channel = guild?.channels.find((c) => c.name === 'killfeed');
    if (!guild || !channel) throw new Error('The stand-in has no guild with #killfeed');
    killfeed = channel.id;
    folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob')]);
    const scope = store.guild(guild.id);
    serverId = (await scope.servers.add({ name: 'EU 1', localPath: folder.root })).id;
    await scope.settings.setChannel('killfeed', killfeed);
  });
  afterAll(async () => {
    if (running && running.exitCode === null && running.signalCode === null) await killBot(running);
    await store.close();
    await dev.close();
    await db.dispose();
    folder.remove();
  });

  let running: ChildProcess | null = null;
  let reclaimed = 0;
  /** The bot in its own process; `loggedIn` resolves when it says it logged in to Discord. */
  const startBot = (): { child: ChildProcess; loggedIn: Promise<void> } => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '', DISCORD_TOKEN: dev.token, DISCORD_APPLICATION_ID: dev.applicationId, DISCORD_API_URL: dev.apiUrl,
        MONGODB_URI: db.uri, MONGODB_DATABASE: db.dbName, SECRETS_KEY: secretsKey, POOL_MAX_THREADS: '1',
        // Kills pile up while the bot is down; here every one must come out as it is, not summed up.
        FEED_BACKLOG_LIMIT: '10000', LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // Read its output all along: a full pipe would stall the bot.
    let loggedIn = (): void => undefined;
    const login = new Promise<void>((resolve) => { loggedIn = resolve; });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line.includes('"msg":"logged in to Discord"')) loggedIn();
      if (line.includes('"msg":"posting again a message claimed before a restart')) reclaimed += 1;
      if (process.env.CRASH_TEST_LOG) process.stderr.write(`${line}\n`);
    });
    running = child;
    return { child, loggedIn: login };
  };
  const killBot = async (child: ChildProcess): Promise<void> => {
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };

  it(`GIVEN kills streaming into the live CSV and the bot killed ${KILLS_OF_THE_BOT} times at random moments THEN every kill is posted exactly once, in file order`, async () => {
    const started = Date.now();
    let restarts = 0;
        const random = seededRandom(SEED);
    let bot = startBot();
    const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    // The first read of a file takes its rows as history; kills are news only once it is done.
    await eventually(async () => (await store.guild(dev.guilds[0]?.id ?? '').ingest.cursors(serverId)).length > 0, 'the first read stored', 30_000);
    const appended: string[] = [];
    const appender = setInterval(() => {
      const name = victim(appended.length + 1);
      appendRows(folder.deathLog, [deathRow(clock(appended.length), 'Hunter', name, 'AK-mod', 50)]);
      appended.push(name);
    }, ROW_EVERY_MS);
    try {
      for (let i = 0; i < KILLS_OF_THE_BOT; i += 1) {
        // One time in four during start-up (finishing a pending batch, reposting a claimed message),
        // otherwise up to 4 s after login: during a tick, a batch's write, a claim or a post.
        if (random() < 0.25) await pause(300 + Math.floor(random() * 2_500));
        else {
          await bot.loggedIn;
          await pause(200 + Math.floor(random() * 4_000));
        }
        await killBot(bot.child);
        bot = startBot();
        restarts += 1;
      }
    } finally {
      clearInterval(appender);
    }
    const expected = [...appended];
    await eventually(() => victimsInOrder(postedEmbeds(dev, killfeed)).length >= expected.length, `all ${expected.length} kills posted`, 45_000)
      .catch((error: unknown) => {
        const got = victimsInOrder(postedEmbeds(dev, killfeed));
        throw new Error(`${String(error)}; posted ${got.length}: ${got.join(' ')}`);
      });
    const posted = victimsInOrder(postedEmbeds(dev, killfeed));
    const exited = once(bot.child, 'exit');
    bot.child.kill('SIGTERM');
    const [code] = await exited;
    const nonces = dev.requests().filter((r) => r.method === 'POST' && r.route.endsWith('/messages')).map((r) => (r.body as { nonce?: string }).nonce);
    const repeated = nonces.length - new Set(nonces).size;
    process.stdout.write(`crash test: ${expected.length} kills, ${restarts} SIGKILLs and restarts, ${reclaimed} claimed messages posted again after a restart, ${repeated} of them answered by Discord's nonce check, ${Math.round((Date.now() - started) / 1000)} s\n`);
    expect(posted).toEqual(expected);
    expect(code).toBe(0);
  }, 150_000);
});
