import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { askFirstRow, serverOfConfirm } from './ask-first.js';
import { customId } from '../../src/discord/command.js';
import type { CommandContext } from '../../src/discord/context.js';
import { UserError } from '../../src/discord/user-error.js';
import { serverKey } from '../../src/ingest/scheduler.js';
import type { ServerArgs } from '../server.js';
import { guildAndServer, serverMeta, storeInput } from './find-server.js';

/** `2026-12-24 18:00` (UTC), with or without seconds or a `T`. */
const AT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\s*UTC|Z)?$/i;
/** A later season may start at most a year ahead: a typo of the year is refused, not scheduled. */
const MAX_AHEAD_MS = 366 * 86_400_000;

/** The start a member typed (UTC), in ms; null for now. Plain words for anything else. */
export function parseStart(text: string | null, now: number): number | null {
  if (text === null || text.trim() === '' || text.trim().toLowerCase() === 'now') return null;
  const m = AT.exec(text.trim());
  const at = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) : NaN;
  const real = m !== null && new Date(at).getUTCDate() === Number(m[3]) && Number(m[4]) < 24 && Number(m[5]) < 60;
  if (!real) throw new UserError(`"${text}" is not a time the bot reads: write it in UTC as YYYY-MM-DD HH:MM, e.g. 2026-12-24 18:00, or leave \`at\` out for now.`);
  if (at <= now) throw new UserError(`${text} (UTC) has passed: a season starts now or later, never in the past (the figures before it are already counted). Leave \`at\` out to wipe now.`);
  if (at - now > MAX_AHEAD_MS) throw new UserError(`${text} (UTC) is more than a year ahead: check the year.`);
  return at;
}

/** Asks first: shows when the new season would start and what it means. */
export async function askWipe(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext, args: ServerArgs<'wipe'>): Promise<void> {
  const { guild, server } = await guildAndServer(ctx, interaction.guildId, args.server);
  const now = Date.now();
  const at = parseStart(args.at, now);
  const last = (await guild.seasons.list(server.id)).at(-1);
  if (last && last.startsAt > now) {
    throw new UserError(`A new season of **${server.name}** is already set to start <t:${last.startsAt / 1000}:f>: wipe again after it has started.`);
  }
  if (last && at !== null && at <= last.startsAt) throw new UserError(`The current season of **${server.name}** started <t:${last.startsAt / 1000}:f>: a new one must start after that.`);
  const when = at === null ? 'now' : `at <t:${at / 1000}:f> (<t:${at / 1000}:R>)`;
  await interaction.editReply({
    content: `Start season ${(last?.no ?? 1) + 1} of **${server.name}** ${when}? Season leaderboards then count only kills from that moment on; all-time figures keep everything, and the season ending keeps its top 3 (\`/leaderboard season:previous\`).`,
    // The season number rides along: a second click (or an old question) cannot start one more season.
    components: [askFirstRow(
      { label: 'Start the new season', customId: customId('server', 'wipe', server.id, at === null ? 'now' : String(at / 1000), String((last?.no ?? 1) + 1)) },
      { label: 'Not now', customId: customId('server', 'no-wipe', server.id) },
    )],
  });
}

/**
 * Confirmed: the season is recorded under the server's lock, so no tick is between reading rows and
 * parsing them. Ticks read the season starts after reading their bytes, so every row from the start
 * on is cut into the new season, and every row before it stays in the old one, however late it is read.
 */
export async function confirmWipe(interaction: ButtonInteraction<'cached'>, ctx: CommandContext, arg: string): Promise<void> {
  const [serverId = '', when = 'now', expected = ''] = arg.split(':');
  const server = await serverOfConfirm(interaction, ctx, serverId);
  if (!server) return;
  const guild = ctx.store.guild(interaction.guildId);
  if (ctx.history.running(server.id)) {
    throw new UserError(`A history run of **${server.name}** is going: wait for it to end (or cancel it), then wipe.`);
  }
  // The member's mistakes come back as values: thrown inside the task, the pool would report them as a failed task (an error id).
  const outcome = await ctx.pool.runIo(async () => {
    const current = (await guild.seasons.list(server.id)).at(-1)?.no ?? 1;
    if (expected !== '' && Number(expected) !== current + 1) {
      return { refused: `Season ${expected} of **${server.name}** was started already (by this button or another admin's): nothing more was done.` };
    }
    // Whole seconds, as the death logs write them: "now" is the next second, so no row of this second is split.
    const startsAt = when === 'now' ? Math.ceil((Date.now() + 1) / 1000) * 1000 : Number(when) * 1000;
    try {
      return { season: await storeInput(guild.seasons.begin(server.id, startsAt, interaction.user.id, Date.now())) };
    } catch (error) {
      if (error instanceof UserError) return { refused: error.message };
      throw error;
    }
  }, { label: 'wipe-server', key: serverKey(server.id), exclusive: true, priority: 'HIGH', meta: serverMeta(server) });
  if ('refused' in outcome) {
    await interaction.editReply({ content: outcome.refused, components: [] });
    return;
  }
  const { season } = outcome;
  const at = season.startsAt / 1000;
  await interaction.editReply({
    content: `Season ${season.no} of **${server.name}** starts <t:${at}:f> (<t:${at}:R>). Season leaderboards count from then (\`/leaderboard period:season\`); the last season's top 3: \`/leaderboard season:previous\`.`,
    components: [],
  });
}

export async function keepSeason(interaction: ButtonInteraction<'cached'>): Promise<void> {
  await interaction.update({ content: 'No new season was started.', components: [] });
}
