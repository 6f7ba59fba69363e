// A policy condition is bounded in length and nesting, so a hostile or mistyped one is a clear
// validation error naming the field, never a stack overflow.
import { describe, expect, it } from 'vitest';
import {
  ConditionSyntaxError,
  MAX_CONDITION_DEPTH,
  MAX_CONDITION_LENGTH,
  parseCondition,
  serviceSchema,
} from '../../../src/model';

const service = { id: 'web', name: 'Web', ecs: { cluster: 'prod', service: 'web' } };

function parseError(text: string): unknown {
  try {
    parseCondition(text);
  } catch (error) {
    return error;
  }
  throw new Error('expected the condition not to parse');
}

function whenIssues(when: string) {
  const result = serviceSchema.safeParse({
    ...service,
    policies: [{ name: 'deep', when, actions: ['notify'] }],
  });
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('policy condition limits', () => {
  it('refuses a condition nested 14,000 parentheses deep without overflowing the stack', () => {
    const deep = `${'('.repeat(14_000)}cpu > 1${')'.repeat(14_000)}`;

    const error = parseError(deep);

    expect(error).toBeInstanceOf(ConditionSyntaxError);
    expect((error as Error).message).toMatch(`is longer than ${MAX_CONDITION_LENGTH} characters`);
    expect(whenIssues(deep)).toEqual([
      { path: 'policies.0.when', message: expect.stringMatching(/longer than 2000 characters/) },
    ]);
  });

  it('refuses nesting deeper than the limit, in parentheses or in not', () => {
    const depth = MAX_CONDITION_DEPTH + 1;
    const parens = `${'('.repeat(depth)}cpu > 1${')'.repeat(depth)}`;
    const nots = `${'not '.repeat(depth)}cpu > 1`;

    expect(parseError(parens)).toBeInstanceOf(ConditionSyntaxError);
    expect((parseError(parens) as Error).message).toBe(
      `at ${depth}: nested deeper than ${MAX_CONDITION_DEPTH} levels`,
    );
    expect((parseError(nots) as Error).message).toMatch(/nested deeper than 32 levels/);
    expect(whenIssues(nots)).toEqual([
      { path: 'policies.0.when', message: expect.stringMatching(/nested deeper than 32/) },
    ]);
  });

  it('accepts conditions up to the limits', () => {
    const depth = MAX_CONDITION_DEPTH;
    const nested = `${'('.repeat(depth)}cpu > 1${')'.repeat(depth)}`;
    const longChain = Array.from({ length: 150 }, (_, i) => `cpu > ${i}`).join(' or ');

    expect(parseCondition(nested)).toMatchObject({ kind: 'compare', subject: 'cpu' });
    expect(longChain.length).toBeLessThanOrEqual(MAX_CONDITION_LENGTH);
    expect(parseCondition(longChain).kind).toBe('or');
  });

  it('refuses a number too large to compare with', () => {
    expect((parseError(`cpu > ${'9'.repeat(400)}`) as Error).message).toBe(
      'at 7: number out of range',
    );
  });
});
