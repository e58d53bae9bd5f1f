import type { TaskSnapshot, TaskState } from '../../pool/index.js';
import { requireAdmin } from '../admin-token.js';
import type { HttpDeps, Route } from '../deps.js';
import { HttpError, json } from '../respond.js';
import { taskView } from './task-view.js';

const STATES: readonly TaskState[] = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** The history keeps 10,000 finished tasks by default: no page lies further. */
const MAX_OFFSET = 20_000;

export interface TaskQuery {
  state: TaskState | undefined;
  limit: number;
  /** How many tasks of the listing to skip (the next page). */
  offset: number;
}

/** Reads `state`, `limit` and `offset`, naming a bad one and what a good value looks like. */
export function parseTaskQuery(params: URLSearchParams): TaskQuery {
  const rawState = params.get('state');
  const state = rawState === null || rawState === '' ? undefined : STATES.find((s) => s === rawState.toUpperCase().replace('-', '_'));
  if (rawState !== null && rawState !== '' && state === undefined) throw new HttpError(400, `state "${rawState}" is not a task state: use one of ${STATES.join(', ')}.`);
  const limit = wholeNumber(params.get('limit'), 'limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT;
  const offset = wholeNumber(params.get('offset'), 'offset', 0, MAX_OFFSET) ?? 0;
  return { state, limit, offset };
}

function wholeNumber(raw: string | null, name: string, min: number, max: number): number | undefined {
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new HttpError(400, `${name} "${raw}" is not valid: use a whole number from ${min} to ${max}.`);
  return n;
}

/**
 * Queued and running tasks (newest first), then finished ones (the last to end first). Bounded:
 * a page reads at most `offset + limit + 1` tasks, and `offset` stops at the history's size.
 * `nextOffset` pages on (pages shift as tasks end: this is a monitor, not a ledger).
 */
export function listTasks(pool: HttpDeps['pool'], query: TaskQuery): { tasks: TaskSnapshot[]; nextOffset: number | null } {
  const { state, limit, offset } = query;
  const want = offset + limit + 1;
  const listing = state === undefined || state === 'QUEUED' || state === 'RUNNING'
    ? pool.activeTasks().filter((t) => state === undefined || t.state === state).reverse().slice(0, want)
    : [];
  if (listing.length < want && state !== 'QUEUED' && state !== 'RUNNING') {
    listing.push(...pool.historyOf({ ...(state ? { state } : {}), limit: want - listing.length }));
  }
  const tasks = listing.slice(offset, offset + limit);
  return { tasks, nextOffset: listing.length > offset + limit ? offset + limit : null };
}

function taskId(raw: string | undefined): number {
  if (raw === undefined || !/^\d{1,15}$/.test(raw) || Number(raw) < 1) throw new HttpError(400, `"${raw ?? ''}" is not a task id: use the whole number shown by /api/tasks or /admin queue.`);
  return Number(raw);
}

export const taskRoutes: Route[] = [
  {
    method: 'GET', path: '/api/tasks',
    handle(request, deps) {
      const page = listTasks(deps.pool, parseTaskQuery(request.url.searchParams));
      return json(200, { ...page, tasks: page.tasks.map((t) => taskView(t, request.caller === 'admin')) });
    },
  },
  {
    method: 'GET', path: '/api/tasks/:id',
    handle(request, deps) {
      const id = taskId(request.params.id);
      const task = deps.pool.get(id);
      if (task === undefined) throw new HttpError(404, `There is no task ${id}: it never existed or has left the history (see /api/tasks).`);
      return json(200, taskView(task, request.caller === 'admin'));
    },
  },
  {
    method: 'POST', path: '/api/tasks/clear-finished',
    handle(request, deps) {
      requireAdmin(request.caller, deps.adminToken);
      return json(200, { cleared: deps.pool.clearFinished() });
    },
  },
  {
    method: 'POST', path: '/api/tasks/:id/cancel',
    handle(request, deps) {
      requireAdmin(request.caller, deps.adminToken);
      const id = taskId(request.params.id);
      const task = deps.pool.get(id);
      if (task === undefined) throw new HttpError(404, `There is no task ${id}: it never existed or has left the history.`);
      if (!deps.pool.cancel(id, 'cancelled through the HTTP API')) throw new HttpError(409, `Task ${id} has already ended (${task.state}): only queued or running tasks can be cancelled.`);
      return json(200, { cancelled: id });
    },
  },
];
