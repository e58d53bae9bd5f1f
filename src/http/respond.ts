import type { IncomingMessage } from 'node:http';

/** A request refused in plain words: the status, and what was wrong and how to fix it. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

/** What a route answers; the server writes it. */
export interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export function json(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value), ...(headers ? { headers } : {}) };
}

export function html(body: string): Reply {
  return { status: 200, contentType: 'text/html; charset=utf-8', body };
}

/** The error body every 4xx and 5xx carries. */
export function errorReply(status: number, message: string, headers?: Record<string, string>): Reply {
  return json(status, { error: message }, headers);
}

/** Bodies of the API's writes are a few ids: anything larger is a mistake or an attack. */
const BODY_LIMIT_BYTES = 16 * 1024;

/** Reads a small JSON object body; 415, 413 or 400 in plain words otherwise. An empty body is `{}`. */
export async function readJsonObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const type = request.headers['content-type'] ?? '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) throw new HttpError(413, `The request body is over ${BODY_LIMIT_BYTES} bytes: send only the JSON fields the call takes.`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'Send the body as JSON with "Content-Type: application/json".');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON: send an object such as {"guildId": "...", "serverId": "..."}.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'The request body must be a JSON object such as {"guildId": "...", "serverId": "..."}.');
  return value as Record<string, unknown>;
}
