/** The interaction callback and the webhook routes of an interaction token (no Authorization header). */
import { acknowledge, byWebhookToken, deleteResponse, editResponse, followUp, webhookMessage } from '../interaction-responses.js';
import type { Interactions } from '../interactions.js';
import { messageJson } from '../shapes.js';
import type { World } from '../state.js';
import { fields, noContent, ok, type Route, type RouteContext } from './route.js';

const WEBHOOK_LIMIT = [{ limit: 5, windowMs: 2000, per: 'token' }];

/** Callback, original response (GET/PATCH/DELETE), follow-ups (POST, and GET/PATCH/DELETE by id). */
export function webhookRoutes(world: World, interactions: Interactions): Route[] {
  const record = ({ params }: RouteContext) => byWebhookToken(world, interactions, params.app ?? '', params.token ?? '');
  const messageRoutes = (id: (c: RouteContext) => string): Route[] => [
    { method: 'GET', path: '', auth: false, exemptFromGlobal: true, limits: WEBHOOK_LIMIT, handle: (c) => ok(messageJson(world, webhookMessage(record(c), id(c)))) },
    { method: 'PATCH', path: '', auth: false, exemptFromGlobal: true, limits: WEBHOOK_LIMIT, handle: (c) => ok(messageJson(world, editResponse(world, record(c), id(c), fields(c.body)))) },
    { method: 'DELETE', path: '', auth: false, exemptFromGlobal: true, limits: WEBHOOK_LIMIT, handle: (c) => (deleteResponse(record(c), id(c)), noContent()) },
  ];
  return [
    {
      method: 'POST', path: '/interactions/:id/:token/callback', auth: false, exemptFromGlobal: true,
      handle: ({ params, query, body }) => {
        const response = acknowledge(world, interactions, params.id ?? '', params.token ?? '', fields(body));
        return query.get('with_response') === 'true' ? ok(response) : noContent();
      },
    },
    ...messageRoutes(() => '@original').map((r) => ({ ...r, path: '/webhooks/:app/:token/messages/@original' })),
    ...messageRoutes((c) => c.params.message ?? '').map((r) => ({ ...r, path: '/webhooks/:app/:token/messages/:message' })),
    {
      method: 'POST', path: '/webhooks/:app/:token', auth: false, exemptFromGlobal: true, limits: WEBHOOK_LIMIT,
      handle: (c) => {
        const message = followUp(world, record(c), fields(c.body));
        return c.query.get('wait') === 'true' ? ok(messageJson(world, message)) : noContent();
      },
    },
  ];
}
