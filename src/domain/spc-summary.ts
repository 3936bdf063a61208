import type { AssuranceIcon, SpcResult, VariationIcon } from '../stats/spc.js';

export type { AssuranceIcon, VariationIcon };

/**
 * Words for an SPC result, from the same result that sets the icons, so the sentence, the icons and the
 * chart never disagree (DESIGN.md: "Generate the sentence from the SPC result that sets the icons").
 */

export const variationLabels: Record<VariationIcon, string> = {
  common_cause: 'common cause variation',
  improvement_high: 'special cause improvement, higher',
  improvement_low: 'special cause improvement, lower',
  concern_high: 'special cause concern, higher',
  concern_low: 'special cause concern, lower',
  neutral_high: 'special cause, higher (neither better nor worse)',
  neutral_low: 'special cause, lower (neither better nor worse)',
};

export const assuranceLabels: Record<AssuranceIcon, string> = {
  pass: 'the target is consistently met',
  fail: 'the target is consistently missed',
  inconsistent: 'hit and miss: the target will be met in some months and not others',
};

export function describeSpcResult(
  result: SpcResult,
  context: {
    firstLabel: string;
    lastLabel: string;
    format: (value: number) => string;
    target: { value: number; label: string } | null;
    iconsWithheld: string | null;
    /** Labels of the periods the limits were recalculated from. */
    rebasedFrom: string[];
  },
): string {
  if (result.kind === 'insufficient-data')
    return `Not enough figures for process limits: ${result.got} of the ${result.needed} needed.`;
  const { summary } = result;
  const last = result.points[result.points.length - 1];
  const parts = [
    `From ${context.firstLabel} to ${context.lastLabel} (${summary.points} points)`,
    context.iconsWithheld
      ? context.iconsWithheld
      : `the latest point shows ${variationLabels[summary.variation]}${last && last.specialCauseFlag ? ` (${last.specialCauseType})` : ''}`,
  ];
  let sentence = Number.isFinite(summary.upl)
    ? `${parts.join(': ')}. ${summary.trialLimits ? 'Trial limits' : 'Process limits'} ${context.format(summary.lpl)} to ${context.format(summary.upl)}, mean ${context.format(summary.mean)}.`
    : `${parts.join(': ')}. The latest segment has too few points for process limits.`;
  if (context.target && summary.assurance && !context.iconsWithheld) {
    // Target labels usually carry their value ("NHS Constitution standard: 95 %"); add it only when not.
    const named = /\d/.test(context.target.label)
      ? context.target.label
      : `${context.target.label} of ${context.format(context.target.value)}`;
    sentence += ` Against the ${named}, ${assuranceLabels[summary.assurance]}.`;
  }
  if (context.rebasedFrom.length > 0)
    sentence += ` Limits recalculated from ${context.rebasedFrom.join(' and ')}.`;
  return sentence;
}
