import { describe, expect, it } from 'vitest';
import { rowProblem } from './api-key-imports.js';

const row = { line: 2, name: 'n', description: '', enabled: true, usagePlanIds: [] };

describe('rowProblem', () => {
  it('takes values of 20 to 128 characters and names of at most 1,024', () => {
    expect(rowProblem({ ...row, key: 'k'.repeat(20) })).toBeUndefined();
    expect(rowProblem({ ...row, key: 'k'.repeat(128) })).toBeUndefined();
    expect(rowProblem({ ...row, key: 'k'.repeat(19) })).toBe(
      'Line 2: API Key value should be between 20 and 128 characters',
    );
    expect(rowProblem({ ...row, key: 'k'.repeat(129) })).toContain('between 20 and 128');
    expect(rowProblem({ ...row, key: 'k'.repeat(20), name: 'n'.repeat(1025) })).toContain('at most 1024');
  });
});
