export { createKeyedLocks, type KeyedLocks, type ReleaseLock } from './keyed-locks.js';
export { createInFlight, type InFlight } from './in-flight.js';
