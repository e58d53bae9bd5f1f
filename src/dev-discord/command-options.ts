/**
 * Chat-input options typed from the REGISTERED command's definition, as Discord builds them: a test
 * names options by name and plain values; an unregistered command or option is the test's mistake.
 */
import { channelJson, memberJson } from './shapes.js';
import { usageError, type GuildState, type World } from './state.js';
import type { CommandInvocation } from './types.js';

type Definition = Record<string, unknown> & { name: string; type?: number; options?: Definition[]; autocomplete?: boolean; required?: boolean };

const TYPE_NAMES: Record<number, string> = { 3: 'string', 4: 'integer', 5: 'boolean', 6: 'user', 7: 'channel', 8: 'role', 9: 'mentionable', 10: 'number' };

/** The registered command: the guild's own first, then the global one. */
export function findCommand(world: World, guildId: string, name: string): Definition {
  const found = [...(world.commands.get(guildId) ?? []), ...(world.commands.get('') ?? [])].find((c) => c.name === name && (c.type ?? 1) === 1);
  if (!found) throw usageError(`no chat-input command "/${name}" is registered globally or in guild ${guildId}: register it first (PUT /applications/{app}/commands).`);
  return found as Definition;
}

/** The option definitions a subcommand path ("sub" or "group sub") leads to. */
function leafOptions(command: Definition, subcommand: string | undefined): { path: Definition[]; options: Definition[] } {
  const path: Definition[] = [];
  let options = command.options ?? [];
  for (const name of subcommand ? subcommand.split(' ') : []) {
    const next = options.find((o) => o.name === name && (o.type === 1 || o.type === 2));
    if (!next) throw usageError(`/${command.name} has no subcommand "${name}" (it has: ${options.filter((o) => o.type === 1 || o.type === 2).map((o) => o.name).join(', ') || 'none'}).`);
    path.push(next);
    options = next.options ?? [];
  }
  if (options.some((o) => o.type === 1 || o.type === 2)) throw usageError(`/${command.name}${subcommand ? ` ${subcommand}` : ''} needs a subcommand: name one of ${options.map((o) => o.name).join(', ')}.`);
  return { path, options };
}

function typedValue(def: Definition, value: unknown, where: string): string | number | boolean {
  const type = def.type ?? 3;
  const ok = type === 4 ? Number.isInteger(value) : type === 10 ? typeof value === 'number' : type === 5 ? typeof value === 'boolean' : typeof value === 'string';
  if (!ok) throw usageError(`option "${def.name}" of ${where} is registered as ${TYPE_NAMES[type] ?? `type ${type}`}, got ${JSON.stringify(value)}.`);
  return value as string | number | boolean;
}

/** Adds what Discord puts in `resolved` for user, channel and role options. */
function resolve(world: World, guild: GuildState, def: Definition, id: string, resolved: Record<string, Record<string, unknown>>): void {
  if (def.type === 6 || def.type === 9) {
    const member = guild.members.get(id);
    if (!member) throw usageError(`option "${def.name}": no member ${id} in guild ${guild.id}.`);
    (resolved.users ??= {})[id] = member.user;
    const { user: _user, ...rest } = memberJson(member, guild.joinedAt);
    (resolved.members ??= {})[id] = { ...rest, permissions: '0' };
  } else if (def.type === 7) {
    const channel = world.channel(id);
    (resolved.channels ??= {})[id] = { ...channelJson(channel), permissions: String(world.permissionsIn(channel, world.botUser.id)) };
  } else if (def.type === 8) {
    const role = guild.roles.find((r) => r.id === id);
    if (!role) throw usageError(`option "${def.name}": no role ${id} in guild ${guild.id}.`);
    (resolved.roles ??= {})[id] = { id: role.id, name: role.name, permissions: String(role.permissions), position: role.position };
  }
}

/** INTERACTION_CREATE's `data` for a chat-input command or (with `focused`) an autocomplete. */
export function commandData(world: World, guild: GuildState, o: CommandInvocation, focused?: string): Record<string, unknown> {
  const command = findCommand(world, guild.id, o.name);
  const where = `/${o.name}${o.subcommand ? ` ${o.subcommand}` : ''}`;
  const { path, options } = leafOptions(command, o.subcommand);
  const given = { ...(o.options ?? {}) };
  if (focused !== undefined) {
    const def = options.find((d) => d.name === focused);
    if (!def?.autocomplete) throw usageError(`option "${focused}" of ${where} is not registered with autocomplete.`);
    given[focused] ??= '';
  }
  const resolved: Record<string, Record<string, unknown>> = {};
  const leaf = Object.entries(given).map(([name, value]) => {
    const def = options.find((d) => d.name === name);
    if (!def) throw usageError(`${where} has no option "${name}" (it has: ${options.map((d) => d.name).join(', ') || 'none'}).`);
    if (name === focused) return { name, type: def.type ?? 3, value: String(value), focused: true };
    const typed = typedValue(def, value, where);
    if (typeof typed === 'string') resolve(world, guild, def, typed, resolved);
    return { name, type: def.type ?? 3, value: typed };
  });
  if (focused === undefined) {
    const missing = options.filter((d) => d.required && !(d.name in given)).map((d) => d.name);
    if (missing.length > 0) throw usageError(`${where} needs its required option(s) ${missing.join(', ')}: Discord does not send the command without them.`);
  }
  const nested = path.reduceRight<Record<string, unknown>[]>((inner, sub) => [{ name: sub.name, type: sub.type, options: inner }], leaf);
  return {
    id: command.id, name: command.name, type: 1, ...(command.guild_id ? { guild_id: command.guild_id } : {}),
    options: nested, ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
  };
}
