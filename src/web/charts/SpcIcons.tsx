import {
  assuranceLabels,
  variationLabels,
  type AssuranceIcon,
  type VariationIcon,
} from '../../domain/spc-summary.js';

/**
 * Variation and assurance icons in the Making Data Count manner, drawn here: colour is never the only
 * signal, so each carries a letter (H or L for a special cause high or low, P or F for pass or fail,
 * ? for hit and miss) and has an accessible name.
 */

export const spcColours = {
  improvement: '#0072C6',
  concern: '#E46C0A',
  common: '#7B7D7D',
  neutral: '#8000C0',
  target: '#DE1B1B',
} as const;

const variationStyle: Record<VariationIcon, { colour: string; letter: string }> = {
  common_cause: { colour: spcColours.common, letter: '' },
  improvement_high: { colour: spcColours.improvement, letter: 'H' },
  improvement_low: { colour: spcColours.improvement, letter: 'L' },
  concern_high: { colour: spcColours.concern, letter: 'H' },
  concern_low: { colour: spcColours.concern, letter: 'L' },
  neutral_high: { colour: spcColours.neutral, letter: 'H' },
  neutral_low: { colour: spcColours.neutral, letter: 'L' },
};

export function VariationIconView({ icon, size = 48 }: { icon: VariationIcon; size?: number }) {
  const { colour, letter } = variationStyle[icon];
  const high = icon.endsWith('_high');
  return (
    <svg
      className="app-spc-icon"
      width={size}
      height={size}
      viewBox="0 0 48 48"
      role="img"
      aria-label={`Variation: ${variationLabels[icon]}`}
      data-icon={`variation-${icon}`}
    >
      <title>{`Variation: ${variationLabels[icon]}`}</title>
      <circle cx="24" cy="24" r="21" fill="#fff" stroke={colour} strokeWidth="4" />
      {/* Five dots of a run: level for common cause, stepping up or down for a special cause. */}
      {[0, 1, 2, 3, 4].map((i) => (
        <circle
          key={i}
          cx={12 + i * 6}
          cy={letter ? (high ? 30 - i * 3 : 18 + i * 3) : 28 + (i % 2 === 0 ? 0 : -4)}
          r="2.4"
          fill={colour}
        />
      ))}
      {letter ? (
        <text
          x="24"
          y="17"
          textAnchor="middle"
          fontSize="13"
          fontWeight="700"
          fill={colour}
          fontFamily="Arial, sans-serif"
        >
          {letter}
        </text>
      ) : null}
    </svg>
  );
}

const assuranceStyle: Record<AssuranceIcon, { colour: string; letter: string; name: string }> = {
  pass: { colour: spcColours.improvement, letter: 'P', name: 'passes' },
  fail: { colour: spcColours.concern, letter: 'F', name: 'fails' },
  inconsistent: { colour: spcColours.common, letter: '?', name: 'hit and miss' },
};

export function AssuranceIconView({ icon, size = 48 }: { icon: AssuranceIcon; size?: number }) {
  const { colour, letter } = assuranceStyle[icon];
  return (
    <svg
      className="app-spc-icon"
      width={size}
      height={size}
      viewBox="0 0 48 48"
      role="img"
      aria-label={`Assurance: ${assuranceLabels[icon]}`}
      data-icon={`assurance-${icon}`}
    >
      <title>{`Assurance: ${assuranceLabels[icon]}`}</title>
      <circle cx="24" cy="24" r="21" fill={colour} />
      <line x1="10" y1="34" x2="38" y2="34" stroke="#fff" strokeWidth="2" strokeDasharray="3,2" />
      <text
        x="24"
        y="29"
        textAnchor="middle"
        fontSize="20"
        fontWeight="700"
        fill="#fff"
        fontFamily="Arial, sans-serif"
      >
        {letter}
      </text>
    </svg>
  );
}
