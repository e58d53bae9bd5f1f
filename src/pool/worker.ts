/**
 * The production worker entry piscina loads. It carries the production task table only; tests have
 * their own entry that adds test tasks to the same dispatcher.
 */
// `threadId` is the one Node import here: replies carry it so the pool knows which thread ran a task.
import { threadId } from 'node:worker_threads';
import { createDispatcher } from './dispatch.js';
import { productionTasks } from './tasks/index.js';

export default createDispatcher(productionTasks, threadId);
