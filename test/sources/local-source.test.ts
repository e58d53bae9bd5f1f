import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalSource, SourceError } from '../../src/sources/index.js';
import { sourceBehaviour } from './source-behaviour.js';

describe('local folder source', () => {
  const root = mkdtempSync(join(tmpdir(), 'ds-local-'));
  const source = createLocalSource(root);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  sourceBehaviour({ disk: () => root, source: () => source });

  it('refuses a configured path that climbs out of the server folder', async () => {
    const error = await source.stat('../../etc/passwd').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ kind: 'bad-config' });
  });
});
