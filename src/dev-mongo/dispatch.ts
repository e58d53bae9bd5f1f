/**
 * Routes a decoded command to its handler and turns whatever it throws into the reply mongod would
 * send. Also the one place that refuses transactions: any command carrying `txnNumber` gets the
 * standalone server's answer, whatever the command.
 */
import type { Document } from 'bson';
import type { Logger } from '../logging/logger.js';
import type { Catalog } from './catalog.js';
import { adminCommands } from './commands/admin-commands.js';
import { aggregateCommands } from './commands/aggregate-command.js';
import { collectionCommands } from './commands/collection-commands.js';
import type { CommandHandler } from './commands/context.js';
import { findAndModifyCommands } from './commands/find-and-modify.js';
import { readCommands } from './commands/read-commands.js';
import { writeCommands } from './commands/write-commands.js';
import type { CursorStore } from './cursors.js';
import { CommandError, errors, toCommandError } from './errors.js';

const HANDLERS: ReadonlyMap<string, CommandHandler> = new Map(
  Object.entries({
    ...adminCommands,
    ...aggregateCommands,
    ...collectionCommands,
    ...findAndModifyCommands,
    ...readCommands,
    ...writeCommands,
  }),
);

/** Where a write command carries its statements. */
const STATEMENT_FIELDS: Readonly<Record<string, string>> = { insert: 'documents', update: 'updates', delete: 'deletes' };

export interface DispatchDeps {
  catalog: Catalog;
  cursors: CursorStore;
  logger: Logger | undefined;
}

export class CommandDispatcher {
  /** Commands received, by name (unknown names included). */
  readonly counts: Record<string, number> = {};
  /** Write statements received (documents inserted, update and delete statements), by command. */
  readonly statements: Record<string, number> = {};

  constructor(private readonly deps: DispatchDeps) {}

  /** The reply body for one command; never throws. */
  run(cmd: Document, connectionId: number): Document {
    const name = Object.keys(cmd)[0] ?? '';
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    const field = STATEMENT_FIELDS[name];
    const items: unknown = field === undefined ? undefined : cmd[field];
    if (Array.isArray(items)) this.statements[name] = (this.statements[name] ?? 0) + items.length;
    try {
      const handler = HANDLERS.get(name);
      if (!handler) throw errors.commandNotFound(name);
      if (cmd.txnNumber !== undefined || cmd.startTransaction !== undefined) throw errors.transactionsUnsupported();
      const db = typeof cmd.$db === 'string' ? cmd.$db : 'admin';
      return handler(cmd, { catalog: this.deps.catalog, cursors: this.deps.cursors, db, connectionId });
    } catch (err) {
      if (!(err instanceof CommandError)) {
        this.deps.logger?.warn({ err, command: name }, 'dev-mongo command failed unexpectedly');
      }
      const failure = toCommandError(err);
      this.deps.logger?.debug({ command: name, code: failure.code, errmsg: failure.message }, 'dev-mongo command refused');
      return failure.toReply();
    }
  }
}
