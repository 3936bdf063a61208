import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { AppError, parseInput, zodProblems } from './errors.js';

const schema = z.strictObject({ name: z.string(), values: z.record(z.string(), z.number()) });
const issuesOf = (input: unknown) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected the input to be refused');
  return parsed.error;
};

describe('zodProblems', () => {
  it('locates each issue by its dotted path, or at the body for the input as a whole', () => {
    expect(zodProblems(issuesOf({ name: 1, values: { a: 'x' } })).map((p) => p.field)).toEqual([
      'name',
      'values.a',
    ]);
    expect(zodProblems(issuesOf(null))).toEqual([{ field: 'body', message: expect.any(String) }]);
    expect(zodProblems(issuesOf(null), { fallback: 'template' })[0]?.field).toBe('template');
  });

  it('puts the path under a prefix, and may leave out empty record keys', () => {
    const error = issuesOf({ name: 'n', values: { '': 'x' } });
    expect(zodProblems(error)[0]?.field).toBe('values.');
    expect(zodProblems(error, { prefix: 'content' })[0]?.field).toBe('content.values.');
    expect(zodProblems(error, { prefix: 'content', dropEmptyKeys: true })[0]?.field).toBe('content.values');
    expect(zodProblems(issuesOf(null), { prefix: 'content' })[0]?.field).toBe('content');
  });
});

describe('parseInput', () => {
  it('returns the parsed value, or throws invalid input with the located problems', () => {
    expect(parseInput(schema, { name: 'n', values: {} }, 'unused')).toEqual({ name: 'n', values: {} });
    try {
      parseInput(schema, { name: 2, values: {} }, 'The thing is not valid.');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({
        code: 'invalid-input',
        message: 'The thing is not valid.',
        problems: [{ field: 'name' }],
      });
    }
  });
});
