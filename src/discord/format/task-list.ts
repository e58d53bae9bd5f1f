import type { APIEmbed } from 'discord.js';
import type { TaskSnapshot } from '../../pool/index.js';
import { buildEmbed, EMBED_LIMITS } from './embed.js';
import { codeTable } from './table.js';
import { serverOfTask, taskDurationMs } from './task-facts.js';
import { fitLines } from './text.js';
import { formatAgo, formatDuration } from './units.js';

/** `/admin tasks`: the tasks given (already this guild's, newest first), as a table, with the failures' errors. */
export function taskListEmbed(tasks: readonly TaskSnapshot[], filter: { state: string | null }, now: number): APIEmbed {
  const title = filter.state === null ? 'Tasks of this Discord server' : `${filter.state} tasks of this Discord server`;
  if (tasks.length === 0) return buildEmbed({ title, description: 'None: the bot keeps the last tasks it ran, and none of them match.' });
  const rows = tasks.map((t) => [`#${t.id}`, t.state, t.label, serverOfTask(t), formatAgo(t.submittedAt, now), formatDuration(taskDurationMs(t, now))]);
  const errors = tasks.filter((t) => t.error !== null).map((t) => `#${t.id}: ${t.error?.message ?? ''}`);
  return buildEmbed({
    title,
    description: codeTable(['TASK', 'STATE', 'WHAT', 'SERVER', 'ASKED', 'TOOK'], rows, { maxChars: EMBED_LIMITS.description, maxCellWidth: 20 }),
    fields: errors.length === 0 ? [] : [{ name: 'Errors', value: fitLines(errors, EMBED_LIMITS.fieldValue) }],
    footer: 'TOOK: how long it ran, or has waited or run so far. Cancel one with /admin cancel.',
  });
}
