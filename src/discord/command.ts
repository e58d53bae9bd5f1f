import type {
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandContext } from './context.js';

/** Deep readonly, so a definition written `as const` (needed for typed options) still type-checks. */
type Frozen<T> = T extends (infer E)[] ? readonly Frozen<E>[] : T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;

/** A slash command's definition as Discord's REST API takes it. Write it `as const satisfies CommandData`. */
export type CommandData = Frozen<RESTPostAPIChatInputApplicationCommandsJSONBody>;

/** How the boundary acknowledges a command before `execute` runs. */
export type Acknowledge = 'defer' | 'defer-ephemeral' | 'none';

/**
 * One slash command: a file in `commands/` default-exports one of these, checked with `satisfies`.
 * The boundary (src/discord/interactions.ts) defers, checks access, runs the handler and answers errors;
 * handlers throw `UserError` for anything the member should read, and never catch for the user path.
 */
export interface SlashCommand<D extends CommandData = CommandData> {
  readonly data: D;
  /**
   * `admin`: needs Manage Server. The boundary checks it in code, and deploy-commands sets it as the
   * command's default member permission so Discord hides it from others too.
   */
  readonly access: 'everyone' | 'admin';
  /**
   * Acknowledgement before `execute`: deferred (ephemeral by default for admin commands), or `none`
   * for a handler that answers at once itself (showing a modal, which cannot follow a deferral).
   * A function picks per invocation, e.g. per subcommand.
   */
  readonly acknowledge?: Acknowledge | ((interaction: ChatInputCommandInteraction<'cached'>) => Acknowledge);
  execute(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext): Promise<void>;
  /** Choices for the focused option: answered from the store, never deferred (autocomplete cannot be). */
  autocomplete?(interaction: AutocompleteInteraction<'cached'>, ctx: CommandContext): Promise<ApplicationCommandOptionChoiceData[]>;
  /**
   * Buttons and modal submits whose custom id starts with `<command name>:`. The boundary does not
   * acknowledge these: a handler updates, defers or replies as its component needs.
   */
  component?(interaction: ButtonInteraction<'cached'> | ModalSubmitInteraction<'cached'>, ctx: CommandContext): Promise<void>;
}

/** Type guard for the loader: anything a command module exports that looks like a command. */
export function isSlashCommand(value: unknown): value is SlashCommand {
  const c = value as Partial<SlashCommand> | null;
  return typeof c === 'object' && c !== null && typeof c.data?.name === 'string' && typeof c.execute === 'function'
    && (c.access === 'everyone' || c.access === 'admin');
}

/** The custom id of a button or modal that routes back to `command`: `<command>:<action>[:<arg>...]`. */
export function customId(command: string, ...parts: string[]): string {
  const id = [command, ...parts].join(':');
  if (id.length > 100) throw new Error(`Custom id "${id}" is longer than Discord's 100 characters.`);
  return id;
}
