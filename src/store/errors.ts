/**
 * A problem with what a user or admin asked for (a duplicate server name, a bad port, an unknown
 * player): the message is plain, safe to show in Discord, and never contains a credential.
 * Anything else thrown by the store is a bug or an outage and is not shown verbatim.
 */
export class StoreInputError extends Error {
  override readonly name = 'StoreInputError';
}

/** Another writer moved a server's ingest state under this one (two bot processes ingesting one server). */
export class IngestConflictError extends Error {
  override readonly name = 'IngestConflictError';
}

/**
 * A game server's pending batch cannot be read back: some of its parts are gone or damaged. It can
 * be dropped by rebuilding the server's history from its files. Stops that server's ingest, not the others'.
 */
export class PendingUnreadableError extends Error {
  override readonly name = 'PendingUnreadableError';
}
