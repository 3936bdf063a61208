import { describe, expect, it } from 'vitest';
import { computeSpc } from '../stats/spc.js';
import { describeSpcResult } from './spc-summary.js';

const format = (value: number) => `${value.toFixed(1)}%`;
const months = Array.from(
  { length: 20 },
  (_, i) => `20${24 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`,
);

describe('describeSpcResult', () => {
  it('says what the icons say: the latest point, the limits and the target', () => {
    // Steady around 70, then the last seven points above the mean: a shift, read as improvement.
    const values = [70, 71, 69, 70, 72, 68, 70, 71, 69, 70, 69, 70, 71, 72, 72, 73, 72, 73, 74, 73];
    const result = computeSpc(
      values.map((value, i) => ({ date: months[i] ?? '', value })),
      { improvement: 'increase', target: 95 },
    );
    const sentence = describeSpcResult(result, {
      firstLabel: 'January 2024',
      lastLabel: 'August 2025',
      format,
      target: { value: 95, label: 'NHS Constitution standard: 95 %' },
      iconsWithheld: null,
      rebasedFrom: [],
    });
    expect(sentence).toMatch(
      /^From January 2024 to August 2025 \(20 points\): the latest point shows special cause improvement, higher \(/,
    );
    expect(sentence).toMatch(/Process limits \d+\.\d% to \d+\.\d%, mean \d+\.\d%\./);
    expect(sentence).toMatch(
      /Against the NHS Constitution standard: 95 %, the target is consistently missed\.$/,
    );
  });

  it('says when there are too few figures, and when the icons are held back', () => {
    const one = computeSpc([{ date: '2024-01-01', value: 5 }], { improvement: 'neutral' });
    expect(
      describeSpcResult(one, {
        firstLabel: '',
        lastLabel: '',
        format,
        target: null,
        iconsWithheld: null,
        rebasedFrom: [],
      }),
    ).toBe('Not enough figures for process limits: 1 of the 2 needed.');
    const few = computeSpc(
      [1, 2, 3].map((value, i) => ({ date: months[i] ?? '', value })),
      { improvement: 'neutral' },
    );
    expect(
      describeSpcResult(few, {
        firstLabel: 'January 2024',
        lastLabel: 'March 2024',
        format,
        target: null,
        iconsWithheld: 'icons are shown from 15 points; there are 3',
        rebasedFrom: ['February 2024'],
      }),
    ).toMatch(/: icons are shown from 15 points; there are 3\. .*Limits recalculated from February 2024\.$/);
  });
});
