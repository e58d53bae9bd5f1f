import {
  ApplicationCommandOptionType,
  type ChatInputCommandInteraction,
  type GuildBasedChannel,
  type Role,
  type User,
} from 'discord.js';

/**
 * Option values typed from a command's own definition (written `as const`), so a handler's `args.server`
 * is `string` when the option is required and `string | null` when it is not, without casts.
 * Subcommands become a union discriminated by `subcommand`. Groups are not used by this bot.
 */
export type ArgsOf<D> = D extends { readonly options: readonly (infer O)[] }
  ? [Extract<O, { readonly type: ApplicationCommandOptionType.Subcommand }>] extends [never]
    ? OptionsOf<O>
    : SubcommandArgs<Extract<O, { readonly type: ApplicationCommandOptionType.Subcommand }>>
  : Record<string, never>;

type SubcommandArgs<S> = S extends { readonly name: infer N; readonly type: ApplicationCommandOptionType.Subcommand }
  ? { subcommand: N } & (S extends { readonly options: readonly (infer O)[] } ? OptionsOf<O> : unknown)
  : never;

type OptionsOf<O> = {
  -readonly [K in O as K extends { readonly name: infer N extends string } ? N : never]: K extends { readonly required: true }
    ? ValueOf<K>
    : ValueOf<K> | null;
};

type ValueOf<O> = O extends { readonly type: infer T }
  ? T extends ApplicationCommandOptionType.String ? (O extends { readonly choices: readonly { readonly value: infer V }[] } ? V : string)
  : T extends ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number ? number
  : T extends ApplicationCommandOptionType.Boolean ? boolean
  : T extends ApplicationCommandOptionType.User ? User
  : T extends ApplicationCommandOptionType.Channel ? GuildBasedChannel
  : T extends ApplicationCommandOptionType.Role ? Role
  : never
  : never;

interface OptionDefinition {
  readonly name: string;
  readonly type: ApplicationCommandOptionType;
  readonly options?: readonly OptionDefinition[];
}

/** Reads every option the definition declares (for the subcommand used) into a plain typed object. */
export function readArgs<const D extends { readonly options?: readonly OptionDefinition[] }>(
  interaction: ChatInputCommandInteraction<'cached'>,
  definition: D,
): ArgsOf<D> {
  const declared = definition.options ?? [];
  const hasSubcommands = declared.some((o) => o.type === ApplicationCommandOptionType.Subcommand);
  const out: Record<string, unknown> = {};
  let options = declared;
  if (hasSubcommands) {
    const subcommand = interaction.options.getSubcommand(true);
    out.subcommand = subcommand;
    options = declared.find((o) => o.name === subcommand)?.options ?? [];
  }
  for (const option of options) out[option.name] = valueOf(interaction, option);
  return out as ArgsOf<D>;
}

function valueOf(interaction: ChatInputCommandInteraction<'cached'>, option: OptionDefinition): unknown {
  const o = interaction.options;
  switch (option.type) {
    case ApplicationCommandOptionType.String: return o.getString(option.name);
    case ApplicationCommandOptionType.Integer: return o.getInteger(option.name);
    case ApplicationCommandOptionType.Number: return o.getNumber(option.name);
    case ApplicationCommandOptionType.Boolean: return o.getBoolean(option.name);
    case ApplicationCommandOptionType.User: return o.getUser(option.name);
    case ApplicationCommandOptionType.Channel: return o.getChannel(option.name);
    case ApplicationCommandOptionType.Role: return o.getRole(option.name);
    default: throw new Error(`Option type ${option.type} of "${option.name}" is not read by this bot.`);
  }
}
