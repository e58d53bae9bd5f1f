export { createKeyedLocks, type KeyedLocks, type ReleaseLock } from './keyed-locks.js';
