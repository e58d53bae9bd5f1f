import type { TaskSnapshot } from '../../pool/index.js';
import { formatAgo, formatDuration } from './units.js';

/** The Discord server (guild) a pool task works for, from its meta; null for the bot's own work. */
export function guildOfTask(task: TaskSnapshot): string | null {
  const id = task.meta?.guildId;
  return typeof id === 'string' ? id : null;
}

/** The game server a task works on, by name when its meta has one. */
export function serverOfTask(task: TaskSnapshot): string {
  const meta = task.meta ?? {};
  for (const key of ['server', 'serverName', 'serverId']) {
    const value = meta[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return '-';
}

/** How long a queued task has waited, a running one has run, or a finished one ran (ms); NaN when not known. */
export function taskDurationMs(task: TaskSnapshot, now: number): number {
  if (task.state === 'QUEUED') return now - Date.parse(task.submittedAt);
  if (task.state === 'RUNNING' && task.startedAt !== null) return now - Date.parse(task.startedAt);
  return task.runMs ?? Number.NaN;
}

/** One line about a task for a member: `#12 tick of Server A, running for 12 s`. */
export function describeTask(task: TaskSnapshot, now: number): string {
  const server = serverOfTask(task);
  const what = `#${task.id} ${task.label}${server === '-' ? '' : ` of ${server}`}`;
  switch (task.state) {
    case 'QUEUED': return `${what}, queued for ${formatDuration(taskDurationMs(task, now))}`;
    case 'RUNNING': return `${what}, running for ${formatDuration(taskDurationMs(task, now))}`;
    default: return `${what}, ${task.state.toLowerCase().replace('_', ' ')} ${formatAgo(task.endedAt, now)}`;
  }
}
