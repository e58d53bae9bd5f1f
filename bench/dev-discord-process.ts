/**
 * The Discord stand-in in a child process, as Discord is remote in production: its own work (sending
 * INTERACTION_CREATE, taking callbacks) is then not counted in the bot's process. The bench drives
 * it over IPC; run directly (forked), this file is the child.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startDevDiscord } from '../src/dev-discord/index.js';
import type { AutocompleteInvocation, CommandInvocation, DevDiscordOptions, DevGuild, DevMessage, RecordedRequest } from '../src/dev-discord/types.js';

type Request =
  | { id: number; op: 'command'; invocation: CommandInvocation }
  | { id: number; op: 'autocomplete'; invocation: AutocompleteInvocation }
  | { id: number; op: 'heartbeats' }
  | { id: number; op: 'posts'; since: number };

interface Reply { id: number; latencyMs?: number; answer?: Pick<DevMessage, 'content' | 'embeds'>; worstGapRatio?: number; posts?: ChannelPost[]; error?: string }

/** A request to post a message in a channel, as the stand-in received it (accepted or refused). */
export interface ChannelPost {
  channelId: string;
  /** The stand-in's clock at receipt (ms since the epoch). */
  at: number;
  status: number;
  /** For a 429: `global` or the route's bucket. */
  limitScope?: string;
  content: string;
  embeds: Record<string, unknown>[];
}

interface Ready { apiUrl: string; token: string; applicationId: string; guilds: DevGuild[] }

/** The stand-in's side of a remote interaction: the acknowledgement's latency, and for commands the final answer. */
export interface RemoteDiscord extends Ready {
  pid: number;
  command(invocation: CommandInvocation): Promise<{ latencyMs: number; answer: Pick<DevMessage, 'content' | 'embeds'> }>;
  autocomplete(invocation: AutocompleteInvocation): Promise<{ latencyMs: number }>;
  /** The longest gap between two heartbeats so far, as a share of the interval. */
  worstHeartbeatGap(): Promise<number>;
  /** Every request to post a channel message received at or after `since` (ms since the epoch). */
  posts(since: number): Promise<ChannelPost[]>;
  stop(): void;
}

export async function startDevDiscordProcess(options: DevDiscordOptions): Promise<RemoteDiscord> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready));
    child.once('exit', (code) => reject(new Error(`the Discord stand-in exited with ${code}`)));
  });
  const ask = requester(child);
  return {
    ...ready,
    pid: child.pid ?? 0,
    command: async (invocation) => {
      const r = await ask({ op: 'command', invocation });
      return { latencyMs: r.latencyMs ?? Number.NaN, answer: r.answer ?? { content: '', embeds: [] } };
    },
    autocomplete: async (invocation) => ({ latencyMs: (await ask({ op: 'autocomplete', invocation })).latencyMs ?? Number.NaN }),
    worstHeartbeatGap: async () => (await ask({ op: 'heartbeats' })).worstGapRatio ?? Number.NaN,
    posts: async (since) => (await ask({ op: 'posts', since })).posts ?? [],
    stop: () => { child.kill('SIGTERM'); },
  };
}

type Question = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function requester(child: ChildProcess): (question: Question) => Promise<Reply> {
  const waiting = new Map<number, (reply: Reply) => void>();
  let next = 1;
  child.on('message', (m) => waiting.get((m as Reply).id)?.((m as Reply)));
  return (question) => new Promise<Reply>((resolve, reject) => {
    const id = next++;
    waiting.set(id, (reply) => {
      waiting.delete(id);
      if (reply.error === undefined) resolve(reply);
      else reject(new Error(reply.error));
    });
    child.send({ id, ...question });
  });
}

async function serve(options: DevDiscordOptions): Promise<void> {
  const dev = await startDevDiscord(options);
  const send = (m: unknown) => process.send?.(m);
  send({ apiUrl: dev.apiUrl, token: dev.token, applicationId: dev.applicationId, guilds: dev.guilds } satisfies Ready);
  process.on('message', (m: Request) => {
    answer(m).then(send, (error: unknown) => send({ id: m.id, error: String(error) } satisfies Reply));
  });
  process.on('SIGTERM', () => { void dev.close().then(() => process.exit(0)); });

  async function answer(m: Request): Promise<Reply> {
    if (m.op === 'heartbeats') return { id: m.id, worstGapRatio: dev.heartbeats().worstGapRatio };
    if (m.op === 'posts') return { id: m.id, posts: channelPosts(dev.requests(), m.since) };
    if (m.op === 'autocomplete') return { id: m.id, latencyMs: (await dev.autocomplete(m.invocation).acknowledged).latencyMs };
    const run = dev.command(m.invocation);
    const { latencyMs } = await run.acknowledged;
    const { content, embeds } = await run.waitForOriginal((o) => o.content !== '' || o.embeds.length > 0, 60_000);
    return { id: m.id, latencyMs, answer: { content, embeds } };
  }
}

function channelPosts(requests: readonly RecordedRequest[], since: number): ChannelPost[] {
  return requests.filter((r) => r.at >= since && r.method === 'POST' && r.route === 'POST /channels/:id/messages').map((r) => {
    const body = (r.body ?? {}) as { content?: string; embeds?: Record<string, unknown>[] };
    return {
      channelId: r.path.split('/')[2] ?? '', at: r.at, status: r.status, ...(r.limitScope ? { limitScope: r.limitScope } : {}),
      content: body.content ?? '', embeds: body.embeds ?? [],
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await serve(JSON.parse(process.argv[2] ?? '{}') as DevDiscordOptions);
