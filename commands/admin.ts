import { ApplicationCommandOptionType } from 'discord.js';
import type { SlashCommand, CommandData } from '../src/discord/command.js';
import type { CommandContext } from '../src/discord/context.js';
import { describeTask, guildOfTask, poolStatusEmbed, taskListEmbed } from '../src/discord/format/index.js';
import { readArgs } from '../src/discord/options.js';
import { UserError } from '../src/discord/user-error.js';
import type { TaskSnapshot, TaskState } from '../src/pool/index.js';

const STATE_CHOICES = [
  { name: 'queued', value: 'QUEUED' },
  { name: 'running', value: 'RUNNING' },
  { name: 'completed', value: 'COMPLETED' },
  { name: 'failed', value: 'FAILED' },
  { name: 'cancelled', value: 'CANCELLED' },
  { name: 'timed out', value: 'TIMED_OUT' },
] as const satisfies readonly { name: string; value: TaskState }[];

const data = {
  name: 'admin',
  description: 'The bot\'s background work: its queue, this Discord server\'s tasks, cancelling one',
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: 'queue', description: 'Live status of the task queue, workers and this Discord server\'s game servers' },
    {
      type: ApplicationCommandOptionType.Subcommand, name: 'tasks', description: 'This Discord server\'s tasks, newest first',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'state', description: 'Only tasks in this state', choices: STATE_CHOICES },
        { type: ApplicationCommandOptionType.Integer, name: 'limit', description: 'How many to show (1-25, default 10)', min_value: 1, max_value: 25 },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand, name: 'cancel', description: 'Cancels a queued or running task of this Discord server',
      options: [{ type: ApplicationCommandOptionType.Integer, name: 'task', description: 'The task number, as /admin tasks shows it (#12: 12)', required: true, min_value: 1 }],
    },
  ],
} as const satisfies CommandData;

/** Tasks of `guildId`, queued and running ones and those the pool remembers, newest first. */
function tasksOfGuild(ctx: CommandContext, guildId: string, state: TaskState | null, limit: number): TaskSnapshot[] {
  const remembered = ctx.pool.historyOf({ ...(state === null ? {} : { state }), meta: { guildId }, limit });
  const active = ctx.pool.activeTasks().filter((t) => guildOfTask(t) === guildId && (state === null || t.state === state));
  return [...active, ...remembered].sort((a, b) => b.id - a.id).slice(0, limit);
}

function cancelTask(ctx: CommandContext, guildId: string, id: number): string {
  const task = ctx.pool.get(id);
  if (task === undefined || guildOfTask(task) !== guildId) throw new UserError(`No task #${id} in this Discord server.`);
  const now = Date.now();
  if (task.state !== 'QUEUED' && task.state !== 'RUNNING') return `Task ${describeTask(task, now)}: it had already finished.`;
  if (!ctx.pool.cancel(id, 'cancelled by an admin with /admin cancel')) {
    const after = ctx.pool.get(id) ?? task;
    return `Task ${describeTask(after, now)}: it finished before it could be cancelled.`;
  }
  return `Cancelled task ${describeTask(task, now)}.`;
}

export default {
  data,
  access: 'admin',
  async execute(interaction, ctx) {
    const args = readArgs(interaction, data);
    const guildId = interaction.guildId;
    switch (args.subcommand) {
      case 'queue': {
        const embed = poolStatusEmbed({ stats: ctx.pool.stats(), health: ctx.watcher.health(guildId), guildId, startedAt: ctx.startedAt, now: Date.now() });
        await interaction.editReply({ embeds: [embed] });
        return;
      }
      case 'tasks': {
        const tasks = tasksOfGuild(ctx, guildId, args.state, args.limit ?? 10);
        await interaction.editReply({ embeds: [taskListEmbed(tasks, { state: args.state }, Date.now())] });
        return;
      }
      case 'cancel':
        await interaction.editReply({ content: cancelTask(ctx, guildId, args.task) });
    }
  },
} satisfies SlashCommand<typeof data>;
