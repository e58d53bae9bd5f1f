/** Small pure formatters for what the bot shows in Discord. */
export { buildEmbed, embedSize, EMBED_LIMITS, type EmbedDraft, type EmbedField } from './embed.js';
export { codeTable, type TableOptions } from './table.js';
export { fitLines, truncate } from './text.js';
export { formatAgo, formatBytes, formatDuration, formatPercent } from './units.js';
export { poolStatusEmbed, type PoolStatusInput } from './pool-status.js';
export { describeTask, guildOfTask, serverOfTask } from './task-facts.js';
export { taskListEmbed } from './task-list.js';
