import { describe, expect, it } from 'vitest';
import { checkReview, interventionInputSchema, isOverdue } from './intervention.js';

const valid = {
  organisation: 'RJ1',
  kind: 'enhanced-oversight',
  title: 'Recovery of urgent care',
  owner: 'Regional director',
  signal: { kind: 'spc-special-cause', metric: 'ae_4h_all', period: '2025-04-01' },
  openedOn: '2025-07-01',
  nextReview: '2025-10-01',
  exitCriteria: 'Three months at or above 78%',
};
const fields = (input: unknown) => {
  const parsed = interventionInputSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.')).sort();
};

describe('an intervention as recorded', () => {
  it('takes defaults for what may be left out', () => {
    expect(interventionInputSchema.parse(valid)).toMatchObject({
      statutoryFunction: null,
      programme: null,
      actions: [],
    });
    expect(
      interventionInputSchema.parse({ ...valid, signal: { kind: 'segment-change', quarter: '2025-04-01' } })
        .signal,
    ).toEqual({ kind: 'segment-change', methodology: null, quarter: '2025-04-01' });
  });

  it('locates each problem', () => {
    expect(
      fields({ ...valid, signal: { kind: 'spc-special-cause', metric: 'ae_4h_all', period: '2025-04-15' } }),
    ).toEqual(['signal.period']);
    expect(fields({ ...valid, signal: { kind: 'segment-change', quarter: '2025-05-01' } })).toEqual([
      'signal.quarter',
    ]);
    expect(fields({ ...valid, signal: { kind: 'rumour' } })).toEqual(['signal.kind']);
    expect(fields({ ...valid, nextReview: '2025-06-30' })).toEqual(['nextReview']);
    expect(fields({ ...valid, organisation: 'not a code', openedOn: '2025-02-30' })).toEqual([
      'openedOn',
      'organisation',
    ]);
    expect(fields({ ...valid, actions: [{ description: '', owner: 'x', due: '2025-08-01' }] })).toEqual([
      'actions.0.description',
    ]);
  });

  it('requires the provider-licensing tag on undertakings and licence conditions', () => {
    expect(fields({ ...valid, kind: 'enforcement-undertakings' })).toEqual(['statutoryFunction']);
    expect(fields({ ...valid, kind: 'licence-conditions', statutoryFunction: 'pricing' })).toEqual([
      'statutoryFunction',
    ]);
    expect(
      fields({ ...valid, kind: 'enforcement-undertakings', statutoryFunction: 'provider-licensing' }),
    ).toEqual([]);
  });

  it('checks review dates and overdue actions', () => {
    expect(
      checkReview({ reviewedOn: '2025-06-01', outcome: 'x', nextReview: '2025-06-01' }, '2025-07-01'),
    ).toEqual([
      { field: 'reviewedOn', message: 'a review cannot be before the intervention started (2025-07-01)' },
      { field: 'nextReview', message: 'the next review must be after this one' },
    ]);
    expect(isOverdue({ due: '2025-08-01', doneOn: null }, '2025-08-02')).toBe(true);
    expect(isOverdue({ due: '2025-08-01', doneOn: '2025-08-03' }, '2025-08-09')).toBe(false);
    expect(isOverdue({ due: '2025-08-02', doneOn: null }, '2025-08-02')).toBe(false);
  });
});
