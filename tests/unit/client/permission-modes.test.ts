import { describe, expect, it } from 'vitest';
import { MODE_LABELS } from '../../../lib/client/permission-modes.ts';
import { PERMISSION_MODE_LABELS } from '../../../lib/protocol/index.ts';

describe('permission mode words', () => {
  it('the dashboard says what the protocol says (kept apart only to keep zod out of the first load)', () => {
    expect(MODE_LABELS).toEqual(PERMISSION_MODE_LABELS);
  });
});
