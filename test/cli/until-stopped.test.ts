import { describe, expect, it } from 'vitest';
import { untilStopped } from '../../src/cli/until-stopped.js';

describe('untilStopped', () => {
  it('GIVEN a stand-in served in the foreground THEN Ctrl-C (SIGINT) ends the wait and leaves no listener behind', async () => {
    const before = process.listenerCount('SIGINT');
    const beforeTerm = process.listenerCount('SIGTERM');
    // A listener of our own keeps Node's default (exit) away from the test process.
    const keep = (): void => undefined;
    process.on('SIGINT', keep);
    const stopped = untilStopped();
    expect(process.listenerCount('SIGINT')).toBe(before + 2);
    process.kill(process.pid, 'SIGINT');
    await stopped;
    process.off('SIGINT', keep);
    expect(process.listenerCount('SIGINT')).toBe(before);
    expect(process.listenerCount('SIGTERM')).toBe(beforeTerm);
  });

  it('GIVEN an abort signal THEN aborting ends the wait', async () => {
    const stop = new AbortController();
    const stopped = untilStopped(stop.signal);
    stop.abort();
    await expect(stopped).resolves.toBeUndefined();
  });
});
