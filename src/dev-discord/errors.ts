/**
 * Discord's JSON error answers: `{ code, message, errors? }` with the HTTP status Discord uses.
 * A table of small factories, one per refusal the stand-in makes.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The body Discord sends. */
  body(): Record<string, unknown> {
    return this.errors ? { message: this.message, code: this.code, errors: this.errors } : { message: this.message, code: this.code };
  }
}

/** One field's problem, as Discord nests it under `errors` (e.g. `embeds.0.title._errors`). */
export interface FieldProblem {
  path: (string | number)[];
  code: string;
  message: string;
}

/** Builds Discord's nested `errors` object from field problems. */
export function nestErrors(problems: FieldProblem[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of problems) {
    let node = root;
    for (const key of p.path) node = (node[String(key)] ??= {}) as Record<string, unknown>;
    ((node._errors ??= []) as unknown[]).push({ code: p.code, message: p.message });
  }
  return root;
}

export const apiErrors = {
  unauthorized: () => new ApiError(401, 0, '401: Unauthorized'),
  notFound: () => new ApiError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new ApiError(405, 0, '405: Method Not Allowed'),
  badJson: () => new ApiError(400, 50109, 'The request body contains invalid JSON.'),
  unknownApplication: () => new ApiError(404, 10002, 'Unknown Application'),
  unknownChannel: () => new ApiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new ApiError(404, 10004, 'Unknown Guild'),
  unknownMessage: () => new ApiError(404, 10008, 'Unknown Message'),
  unknownWebhook: () => new ApiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => new ApiError(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: () => new ApiError(400, 40060, 'Interaction has already been acknowledged.'),
  emptyMessage: () => new ApiError(400, 50006, 'Cannot send an empty message'),
  missingAccess: () => new ApiError(403, 50001, 'Missing Access'),
  missingPermissions: () => new ApiError(403, 50013, 'Missing Permissions'),
  invalidWebhookToken: () => new ApiError(401, 50027, 'Invalid Webhook Token'),
  invalidFormBody: (problems: FieldProblem[]) => new ApiError(400, 50035, 'Invalid Form Body', nestErrors(problems)),
};
