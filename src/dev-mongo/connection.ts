/**
 * One client socket: bytes in, whole messages out to the dispatcher, replies back in order.
 * A connection that sends something that is not the MongoDB wire protocol is closed, as mongod does.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../logging/logger.js';
import type { CommandDispatcher } from './dispatch.js';
import { decodeMessage, encodeReply, MessageSplitter } from './wire.js';

export interface ConnectionDeps {
  dispatcher: CommandDispatcher;
  logger: Logger | undefined;
  /** Called once per message received (the round-trip counter). */
  onMessage: () => void;
}

/** Serves one socket until it closes. */
export function serveConnection(socket: Socket, connectionId: number, deps: ConnectionDeps): void {
  const splitter = new MessageSplitter();
  let replyId = 0;
  socket.setNoDelay(true);
  socket.on('error', (err) => deps.logger?.debug({ err, connectionId }, 'dev-mongo connection error'));
  socket.on('data', (chunk: Buffer) => {
    try {
      const replies: Buffer[] = [];
      for (const message of splitter.push(chunk)) {
        deps.onMessage();
        const request = decodeMessage(message);
        const body = request.refusal ? request.refusal.toReply() : deps.dispatcher.run(request.command, connectionId);
        replyId += 1;
        if (!request.noReply) replies.push(encodeReply(request, replyId, body));
      }
      if (replies.length === 1) socket.write(replies[0] as Buffer);
      else if (replies.length > 1) socket.write(Buffer.concat(replies));
    } catch (err) {
      deps.logger?.warn({ err, connectionId }, 'dev-mongo closing a connection that broke the wire protocol');
      socket.destroy();
    }
  });
}
