/**
 * The worker entry piscina loads for the product: the production task table behind the pool's
 * dispatcher (pure: it imports no I/O module, only the reply protocol and a clone check).
 */
// `threadId` is the one Node import here: replies carry it so the pool knows which thread ran a task.
import { threadId } from 'node:worker_threads';
import { createDispatcher } from '../pool/dispatch.js';
import { productionTasks } from './task-table.js';

export default createDispatcher(productionTasks, threadId);
