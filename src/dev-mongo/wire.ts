/**
 * MongoDB wire protocol framing: OP_MSG (what every modern driver speaks) and the legacy OP_QUERY
 * the driver still uses for its first `isMaster`/`hello` handshake, answered with OP_REPLY.
 * https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/
 */
import { BSON, type Document } from 'bson';
import { MAX_OBJECT_BYTES, objectTooLarge } from './document-size.js';
import type { CommandError } from './errors.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const HEADER_BYTES = 16;
const FLAG_CHECKSUM_PRESENT = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;
/** mongod refuses bigger messages (maxMessageSizeBytes in `hello`). */
export const MAX_MESSAGE_BYTES = 48_000_000;

/** One decoded request: the command document with any OP_MSG document sequences folded in. */
export interface WireRequest {
  requestId: number;
  opCode: number;
  command: Document;
  /** OP_MSG moreToCome: the client sent a w:0 write and wants no answer. */
  noReply: boolean;
  /** Set when mongod would refuse the message before running it (a section too large to hold). */
  refusal?: CommandError;
}

/**
 * Splits a TCP byte stream into whole messages. Holds partial chunks until the declared length
 * has arrived, because one message may span many `data` events and one event may hold many.
 */
export class MessageSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Buffer[] = [];
    for (let length = this.nextLength(); length > 0 && this.buffered >= length; length = this.nextLength()) {
      // Join the chunks only once a whole message is here: a 40 MB insert arriving in 64 KB pieces
      // would otherwise be copied hundreds of times.
      const data = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.buffered);
      out.push(data.subarray(0, length));
      const rest = data.subarray(length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
    }
    return out;
  }

  /** Declared length of the next message, or 0 while fewer than 4 bytes are buffered. */
  private nextLength(): number {
    if (this.buffered < 4) return 0;
    const head = this.chunks[0] as Buffer;
    const length = head.length >= 4 ? head.readInt32LE(0) : Buffer.concat(this.chunks, 4).readInt32LE(0);
    if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES) {
      throw new Error(`invalid message length ${length} (the client is not speaking the MongoDB wire protocol)`);
    }
    return length;
  }
}

/** Decodes one whole message. Throws on opcodes this server does not speak. */
export function decodeMessage(message: Buffer): WireRequest {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_MSG) return decodeOpMsg(message, requestId);
  if (opCode === OP_QUERY) return decodeOpQuery(message, requestId);
  throw new Error(`unsupported opCode ${opCode} (dev-mongo speaks OP_MSG, and OP_QUERY for the handshake only)`);
}

function decodeOpMsg(message: Buffer, requestId: number): WireRequest {
  const flags = message.readUInt32LE(HEADER_BYTES);
  const end = flags & FLAG_CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_BYTES + 4;
  let command: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  const tooLarge: CommandError[] = [];
  const readObject = (at: number): Document => {
    const size = message.readInt32LE(at);
    const doc = BSON.deserialize(message.subarray(at, at + size));
    if (size > MAX_OBJECT_BYTES) tooLarge.push(objectTooLarge(doc, size));
    return doc;
  };
  while (offset < end) {
    const kind = message[offset];
    offset += 1;
    if (kind === 0) {
      command = readObject(offset);
      offset += message.readInt32LE(offset);
    } else if (kind === 1) {
      const size = message.readInt32LE(offset);
      sequences.push(decodeSequence(message, offset + 4, offset + size, readObject));
      offset += size;
    } else {
      throw new Error(`unknown OP_MSG section kind ${String(kind)}`);
    }
  }
  if (!command) throw new Error('OP_MSG without a body section');
  for (const [identifier, docs] of sequences) command[identifier] = docs;
  const request: WireRequest = { requestId, opCode: OP_MSG, command, noReply: (flags & FLAG_MORE_TO_COME) !== 0 };
  if (tooLarge[0]) request.refusal = tooLarge[0];
  return request;
}

/** Kind-1 section: a cstring identifier (`documents`, `updates`...) then BSON documents to its end. */
function decodeSequence(message: Buffer, start: number, end: number, readObject: (at: number) => Document): [string, Document[]] {
  const nul = message.indexOf(0, start);
  const identifier = message.toString('utf8', start, nul);
  const docs: Document[] = [];
  for (let offset = nul + 1; offset < end; offset += message.readInt32LE(offset)) docs.push(readObject(offset));
  return [identifier, docs];
}

function decodeOpQuery(message: Buffer, requestId: number): WireRequest {
  let offset = HEADER_BYTES + 4;
  const nul = message.indexOf(0, offset);
  const fullName = message.toString('utf8', offset, nul);
  offset = nul + 1 + 8; // numberToSkip, numberToReturn
  const size = message.readInt32LE(offset);
  let query = BSON.deserialize(message.subarray(offset, offset + size));
  // Legacy wrapping used when a read preference rides along.
  if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
  const db = fullName.endsWith('.$cmd') ? fullName.slice(0, -'.$cmd'.length) : fullName;
  return { requestId, opCode: OP_QUERY, command: { ...query, $db: db }, noReply: false };
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(HEADER_BYTES);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** Encodes a reply in the same opcode family the request came in. */
export function encodeReply(request: WireRequest, replyId: number, body: Document): Buffer {
  const doc = BSON.serialize(body);
  if (request.opCode === OP_QUERY) {
    const fixed = Buffer.alloc(20);
    fixed.writeInt32LE(8, 0); // AwaitCapable, as mongod sets it
    fixed.writeInt32LE(1, 16); // numberReturned (cursorID and startingFrom stay 0)
    const length = HEADER_BYTES + fixed.length + doc.length;
    return Buffer.concat([header(length, replyId, request.requestId, OP_REPLY), fixed, doc]);
  }
  const flagsAndKind = Buffer.alloc(5); // flags 0, section kind 0
  const length = HEADER_BYTES + flagsAndKind.length + doc.length;
  return Buffer.concat([header(length, replyId, request.requestId, OP_MSG), flagsAndKind, doc]);
}
