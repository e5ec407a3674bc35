import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingShared } from './requireShared.ts';

describe('missingShared', () => {
  it('names each folder the data-backed tests need that is absent', () => {
    const shared = mkdtempSync(join(tmpdir(), 'cxr-shared-'));
    expect(missingShared(shared)).toEqual([join(shared, 'data/cxr256'), join(shared, 'models/reference-v0')]);
    mkdirSync(join(shared, 'data/cxr256'), { recursive: true });
    expect(missingShared(shared)).toEqual([join(shared, 'models/reference-v0')]);
    mkdirSync(join(shared, 'models/reference-v0'), { recursive: true });
    expect(missingShared(shared)).toEqual([]);
  });
});
